// cards/rules/escalation.cpp. rules.md: tendinopathy older than the configured weeks (8) with conservative
// care on record → consider advanced options; past 12 weeks the orthopaedic referral is the prompt.
#include <gtest/gtest.h>

#include "tests/cards/rule_fixture.h"

namespace cds::cards {
namespace {

using namespace cds::test;

class EscalationRule : public ::testing::Test {
 protected:
  // Tendinopathy with onset `onset`, physiotherapy since, today 2026-11-28.
  Facts Weeks(std::string_view onset) {
    Facts f = BaseFacts(Hook::kPatientView);
    ConditionFact c = Tendinopathy();
    c.onset = fhir::FhirDate::Parse(onset);
    f.conditions.push_back(c);
    f.care.push_back(Care(CareKind::kPhysiotherapy, "pt", std::string(onset)));
    return f;
  }
  std::unique_ptr<Rule> rule_ = ShippedRule(RuleId::kEscalation);
};

TEST_F(EscalationRule, SevenWeeksIsNotYetEightWeeksIs) {
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(Weeks("2026-10-04"), &why));  // 55 days
  EXPECT_NE(why.lines().back().find("under the 8-week threshold"), std::string::npos) << why.lines().back();
  auto card = rule_->Evaluate(Weeks("2026-10-03"), nullptr);  // 56 days
  ASSERT_TRUE(card);
  EXPECT_EQ(card->summary, card->settings->summary);
  EXPECT_FALSE(card->suggestions[0].recommended);  // the referral is offered, not yet the prompt
}

TEST_F(EscalationRule, FromTwelveWeeksTheReferralIsThePrompt) {
  auto eleven = rule_->Evaluate(Weeks("2026-09-06"), nullptr);  // 83 days
  ASSERT_TRUE(eleven);
  EXPECT_FALSE(eleven->suggestions[0].recommended);
  auto twelve = rule_->Evaluate(Weeks("2026-09-05"), nullptr);  // 84 days
  ASSERT_TRUE(twelve);
  EXPECT_TRUE(twelve->suggestions[0].recommended);
  EXPECT_NE(twelve->summary, twelve->settings->summary);
  EXPECT_NE(std::string(twelve->summary).find("refer to orthopaedics"), std::string::npos);
  EXPECT_EQ(twelve->suggestions[0].actions[0].resource->order->code.code, "183545006");
}

TEST_F(EscalationRule, APartialOnsetNeverOverstatesTheDuration) {
  // "2026-10" could be 31 October: 28 days, not 58.
  EXPECT_FALSE(rule_->Evaluate(Weeks("2026-10"), nullptr));
}

TEST_F(EscalationRule, NeedsConservativeCareAndAKnownOnset) {
  Facts no_care = Weeks("2026-08-01");
  no_care.care.clear();
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(no_care, &why));
  EXPECT_NE(why.lines().back().find("eccentric-rehab prompts first"), std::string::npos);
  Facts no_onset = Weeks("2026-08-01");
  no_onset.conditions[0].onset.reset();
  Trace why2;
  EXPECT_FALSE(rule_->Evaluate(no_onset, &why2));
  EXPECT_NE(why2.lines()[0].find("has no onset"), std::string::npos);
}

TEST_F(EscalationRule, SilentWhenAlreadyReferredOrRuptured) {
  Facts referred = Weeks("2026-08-01");
  referred.care.push_back(Care(CareKind::kOrthopaedic, "ortho", "2026-11-01"));
  EXPECT_FALSE(rule_->Evaluate(referred, nullptr));
  Facts ruptured = Weeks("2026-08-01");
  ruptured.conditions.push_back(Rupture());
  EXPECT_FALSE(rule_->Evaluate(ruptured, nullptr));
}

}  // namespace
}  // namespace cds::cards
