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
  EXPECT_EQ(card->settings->source.topic.code, "eccentric-rehab");
  ASSERT_EQ(card->suggestions.size(), 1u);
  EXPECT_TRUE(card->suggestions[0].recommended);
  EXPECT_EQ(card->selection, SelectionBehavior::kAtMostOne);
  const auto& resource = card->suggestions[0].actions[0].resource;
  ASSERT_TRUE(resource);
  EXPECT_EQ(resource->condition_ids, (std::vector<std::string_view>{"c1", "c2"}));
  EXPECT_EQ(resource->requester, "Practitioner/example");
  for (const char* words : {"Condition/c1", "onset 2026-09-01", "No physiotherapy referral"}) {
    EXPECT_NE(card->detail.find(words), std::string::npos) << words;
  }
  // The configured text the writer appends: first-line measures from rules.md.
  for (const char* words : {"Ice for 15–20 minutes", "heel lift", "pes planus", "other Achilles tendon", "NSAIDs"}) {
    EXPECT_NE(card->settings->detail.find(words), std::string::npos) << words;
  }
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
