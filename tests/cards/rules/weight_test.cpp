// cards/rules/weight.cpp. rules.md: tendinopathy and the latest BMI (within a configurable year) ≥ 30.
#include <gtest/gtest.h>

#include "tests/cards/rule_fixture.h"

namespace cds::cards {
namespace {

using namespace cds::test;

class WeightRule : public ::testing::Test {
 protected:
  Facts WithBmi(std::initializer_list<BmiFact> bmi) {
    Facts f = BaseFacts(Hook::kPatientView);
    f.conditions.push_back(Tendinopathy());
    f.bmi = bmi;
    return f;
  }
  std::unique_ptr<Rule> rule_ = ShippedRule(RuleId::kWeight);
};

TEST_F(WeightRule, ThirtyFiresTwentyNinePointNineDoesNot) {
  auto card = rule_->Evaluate(WithBmi({Bmi("b", 30.0, "2026-10-01")}), nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kInfo);
  EXPECT_TRUE(card->suggestions.empty());
  EXPECT_EQ(card->detail.rfind("**BMI 30.0** (8 weeks ago) with Achilles tendinopathy.", 0), 0u) << card->detail;
  EXPECT_EQ(card->summary, "Achilles tendinopathy with BMI 30.0: weight loss reduces tendon load");
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(WithBmi({Bmi("b", 29.9, "2026-10-01")}), &why));
  EXPECT_NE(why.lines()[0].find("is under 30.0"), std::string::npos);
}

TEST_F(WeightRule, OnlyTheLatestBmiCounts) {
  EXPECT_FALSE(rule_->Evaluate(WithBmi({Bmi("old", 35, "2026-01-01"), Bmi("new", 28, "2026-11-01")}), nullptr));
  EXPECT_TRUE(rule_->Evaluate(WithBmi({Bmi("old", 28, "2026-01-01"), Bmi("new", 31, "2026-11-01")}), nullptr));
}

TEST_F(WeightRule, ABmiOlderThanAYearDoesNotCount) {
  EXPECT_TRUE(rule_->Evaluate(WithBmi({Bmi("b", 34, "2025-11-28")}), nullptr));  // 365 days
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(WithBmi({Bmi("b", 34, "2025-11-27")}), &why));  // 366 days
  EXPECT_NE(why.lines()[0].find("older than 365 days"), std::string::npos);
}

TEST_F(WeightRule, UndatedBmiAndNoTendinopathyAreSilent) {
  EXPECT_FALSE(rule_->Evaluate(WithBmi({Bmi("b", 40, "")}), nullptr));
  Facts none = BaseFacts(Hook::kPatientView);
  none.bmi = {Bmi("b", 40, "2026-11-01")};
  EXPECT_FALSE(rule_->Evaluate(none, nullptr));
}

}  // namespace
}  // namespace cds::cards
