// cards/rules/eccentric_rehab.cpp, from facts built in C++. rules.md: active tendinopathy (not rupture)
// and no physiotherapy since onset → info card with a physiotherapy referral.
#include <gtest/gtest.h>

#include "tests/cards/rule_fixture.h"

namespace cds::cards {
namespace {

using test::BaseFacts;
using test::Physiotherapy;
using test::Rupture;
using test::Tendinopathy;

class EccentricRehabRule : public ::testing::Test {
 protected:
  std::unique_ptr<Rule> rule_ = test::ShippedRule(RuleId::kEccentricRehab);
};

TEST_F(EccentricRehabRule, ActiveTendinopathyWithoutPhysiotherapyPromptsReferral) {
  Facts f = BaseFacts(Hook::kPatientView);
  f.conditions.push_back(Tendinopathy("c1"));
  f.conditions.push_back(Tendinopathy("c2"));  // bilateral
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kInfo);
  EXPECT_EQ(card->settings->source.topic.code, "eccentricRehab");  // alphanumeric: every EHR takes it
  ASSERT_EQ(card->suggestions.size(), 1u);
  EXPECT_TRUE(card->suggestions[0].recommended);
  EXPECT_EQ(card->selection, SelectionBehavior::kAny);
  const auto& resource = card->suggestions[0].actions[0].resource;
  ASSERT_TRUE(resource);
  EXPECT_EQ(resource->condition_ids, (std::vector<std::string_view>{"c1", "c2"}));
  EXPECT_EQ(resource->requester, "Practitioner/example");
  // One line of what was found, in clinical words; then the action (rules.md: eccentric or heavy slow
  // resistance, Alfredson 3×15 twice daily for 12 weeks, floor-level drops for insertional disease); then
  // the short list; then one "Based on:" line. No resource ids in the clinician's text.
  for (const char* words : {"**Achilles tendinopathy**, onset 2 months ago; no physiotherapy", "heavy slow resistance",
                            "3×15 twice daily for 12 weeks", "floor-level", "ice", "NSAIDs", "heel lift",
                            "other side", "Based on: Achilles tendinitis, left leg (ICD-10-CM M76.62)"}) {
    EXPECT_NE(card->detail.find(words), std::string::npos) << words << " in " << card->detail;
  }
  EXPECT_EQ(card->detail.find("Condition/"), std::string::npos) << card->detail;
  EXPECT_EQ(card->detail.find("value set"), std::string::npos) << card->detail;
  EXPECT_EQ(card->evidence.size(), 2u);  // provenance for explain and the card log
  EXPECT_EQ(card->summary, "Achilles tendinopathy: start a loading programme (first-line care)");
}

TEST_F(EccentricRehabRule, TheSummaryNamesTheSide) {
  Facts f = BaseFacts(Hook::kPatientView);
  ConditionFact left = Tendinopathy("c1");
  left.side = Side::kLeft;
  f.conditions.push_back(left);
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->summary, "Left Achilles tendinopathy: start a loading programme (first-line care)");
  ConditionFact right = Tendinopathy("c2");
  right.side = Side::kRight;
  f.conditions.push_back(right);
  EXPECT_EQ(rule_->Evaluate(f, nullptr)->summary,
            "Bilateral Achilles tendinopathy: start a loading programme (first-line care)");
}

// codes.md: an acute S86.0x injury is not tendinopathy, and rupture is not excluded there: no loading prompt.
TEST_F(EccentricRehabRule, NoLoadingPromptWhileRuptureIsNotExcluded) {
  Facts f = BaseFacts(Hook::kPatientView);
  f.conditions.push_back(Tendinopathy("c1"));
  ConditionFact injury = Tendinopathy("inj");
  injury.kind = ConditionKind::kAcuteInjury;
  f.conditions.push_back(injury);
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(f, &why));
  EXPECT_NE(why.lines()[0].find("may be a rupture"), std::string::npos);
}

// Alert fatigue: on an order hook the card must be about the orders under review.
TEST_F(EccentricRehabRule, OnAnOrderHookOnlyForAnOrderAboutTheAchilles) {
  Facts f = BaseFacts(Hook::kOrderSign);
  f.conditions.push_back(Tendinopathy("c1"));
  Trace empty_screen;
  EXPECT_FALSE(rule_->Evaluate(f, &empty_screen));
  EXPECT_NE(empty_screen.lines()[0].find("no order under review is about the Achilles"), std::string::npos);
  OrderFact refill;
  refill.type = "MedicationRequest";
  refill.id = "rx-1";
  refill.label = "lisinopril 10 MG Oral Tablet";
  refill.judged = true;
  f.orders.push_back(refill);
  EXPECT_FALSE(rule_->Evaluate(f, nullptr));
  OrderFact xray = refill;
  xray.label = "X-ray left ankle, Achilles";
  xray.names_achilles = true;
  f.orders.push_back(xray);
  EXPECT_TRUE(rule_->Evaluate(f, nullptr));
}

// A rule runs without optional data and says what it could not check.
TEST_F(EccentricRehabRule, SaysWhatItCouldNotCheck) {
  Facts f = BaseFacts(Hook::kPatientView);
  f.conditions.push_back(Tendinopathy("c1"));
  f.unavailable = Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures);
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_NE(card->detail.find("Not checked (the EHR sent no data): referrals and orders on record, procedures on record"),
            std::string::npos)
      << card->detail;
  EXPECT_EQ(card->detail.find("no physiotherapy or exercise therapy on record"), std::string::npos);
}

TEST_F(EccentricRehabRule, SilentWithoutActiveTendinopathyAndSaysWhy) {
  Facts f = BaseFacts(Hook::kPatientView);
  Trace none;
  EXPECT_FALSE(rule_->Evaluate(f, &none));
  EXPECT_EQ(none.lines(), std::vector<std::string>{"no Achilles tendinopathy Condition in the record"});

  f.conditions.push_back(Tendinopathy("c1", /*counts=*/false));
  Trace resolved;
  EXPECT_FALSE(rule_->Evaluate(f, &resolved));
  ASSERT_EQ(resolved.lines().size(), 1u);
  EXPECT_NE(resolved.lines()[0].find("clinicalStatus is resolved"), std::string::npos);
}

TEST_F(EccentricRehabRule, RuptureTakesTheOtherPathway) {
  Facts f = BaseFacts(Hook::kPatientView);
  f.conditions.push_back(Tendinopathy("c1"));
  f.conditions.push_back(Rupture("r1"));
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(f, &why));
  EXPECT_NE(why.lines()[0].find("rupture"), std::string::npos);
}

TEST_F(EccentricRehabRule, SilentWhenPhysiotherapyIsOnRecordOrBeingOrdered) {
  for (bool drafted : {false, true}) {
    Facts f = BaseFacts(Hook::kPatientView);
    f.conditions.push_back(Tendinopathy("c1"));
    f.care.push_back(Physiotherapy("pt-1", drafted));
    Trace why;
    EXPECT_FALSE(rule_->Evaluate(f, &why));
    EXPECT_NE(why.lines()[0].find("ServiceRequest/pt-1"), std::string::npos);
  }
}

TEST_F(EccentricRehabRule, AReferralFromBeforeOnsetDoesNotCount) {
  Facts f = BaseFacts(Hook::kPatientView);
  f.conditions.push_back(Tendinopathy("c1"));
  CareFact old = Physiotherapy("old");
  old.date = fhir::FhirDate::Parse("2025-01-01");
  f.care.push_back(old);
  EXPECT_TRUE(rule_->Evaluate(f, nullptr));
}

}  // namespace
}  // namespace cds::cards
