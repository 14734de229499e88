// cards/rules/rupture_referral.cpp: the rupture pathway — an orthopaedic referral unless one (or a repair)
// is on record since the rupture.
#include <gtest/gtest.h>

#include "tests/cards/rule_fixture.h"

namespace cds::cards {
namespace {

using namespace cds::test;

class RuptureReferralRule : public ::testing::Test {
 protected:
  std::unique_ptr<Rule> rule_ = ShippedRule(RuleId::kRuptureReferral);
};

TEST_F(RuptureReferralRule, SuggestsAnOrthopaedicReferral) {
  Facts f = BaseFacts(Hook::kPatientView);
  f.conditions.push_back(Rupture("r1"));
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  const auto& referral = card->suggestions.at(0).actions.at(0).resource;
  ASSERT_TRUE(referral);
  EXPECT_EQ(referral->order->code.code, "183545006");
  EXPECT_EQ(referral->condition_ids, std::vector<std::string_view>{"r1"});
}

TEST_F(RuptureReferralRule, SilentWhenReferredOrRepairedSinceTheRupture) {
  Facts f = BaseFacts(Hook::kPatientView);
  f.conditions.push_back(Rupture("r1"));  // onset 2026-09-01
  f.care.push_back(Care(CareKind::kOrthopaedic, "ortho", "2026-09-03"));
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(f, &why));
  EXPECT_NE(why.lines()[0].find("orthopaedic referral or repair is on record"), std::string::npos);
}

TEST_F(RuptureReferralRule, AnOlderReferralDoesNotCount) {
  Facts f = BaseFacts(Hook::kPatientView);
  f.conditions.push_back(Rupture("r1"));
  f.care.push_back(Care(CareKind::kOrthopaedic, "old", "2020-01-01"));
  EXPECT_TRUE(rule_->Evaluate(f, nullptr));
}

TEST_F(RuptureReferralRule, SilentWithoutARupture) {
  Facts f = BaseFacts(Hook::kPatientView);
  f.conditions.push_back(Tendinopathy());
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(f, &why));
  EXPECT_EQ(why.lines(), std::vector<std::string>{"no Achilles rupture Condition in the record"});
}

}  // namespace
}  // namespace cds::cards
