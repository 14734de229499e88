// cards/rules/fluoroquinolone.cpp. rules.md: a systemic fluoroquinolone with Achilles tendinopathy or
// rupture → warning; critical when over 60, on a systemic corticosteroid, or a transplant recipient;
// eye and ear forms excluded.
#include <gtest/gtest.h>

#include "tests/cards/rule_fixture.h"

namespace cds::cards {
namespace {

using namespace cds::test;

class FluoroquinoloneRule : public ::testing::Test {
 protected:
  Facts WithTendinopathy(Hook hook = Hook::kOrderSign) {
    Facts f = BaseFacts(hook);
    f.conditions.push_back(Tendinopathy());
    f.age = 45;
    f.birth_date = "1981-01-01";
    return f;
  }
  std::unique_ptr<Rule> rule_ = ShippedRule(RuleId::kFluoroquinolone);
};

TEST_F(FluoroquinoloneRule, WarnsWithADeletePerOrder) {
  Facts f = WithTendinopathy();
  f.orders.push_back(FluoroquinoloneOrder("fq-1"));
  f.orders.push_back(FluoroquinoloneOrder("fq-2"));
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  ASSERT_EQ(card->suggestions.size(), 2u);
  EXPECT_EQ(card->suggestions[1].actions[0].resource_id, "fq-2");
  // Both orders named in clinical words (the delete suggestions carry the ids); the summary names the drug.
  EXPECT_EQ(card->detail.rfind("**Ciprofloxacin 500 mg tablet, Ciprofloxacin 500 mg tablet** ordered for a patient with "
                               "Achilles tendinopathy",
                               0),
            0u)
      << card->detail;
  EXPECT_EQ(card->summary, "Ciprofloxacin (+1) with Achilles tendinopathy: risk of tendon rupture");
  EXPECT_EQ(card->detail.find("MedicationRequest/"), std::string::npos);
}

TEST_F(FluoroquinoloneRule, EachRiskFactorMakesItCritical) {
  auto critical = [&](const std::function<void(Facts&)>& add_risk, const char* named) {
    Facts f = WithTendinopathy();
    f.orders.push_back(FluoroquinoloneOrder("fq-1"));
    add_risk(f);
    auto card = rule_->Evaluate(f, nullptr);
    ASSERT_TRUE(card) << named;
    EXPECT_EQ(card->indicator, Indicator::kCritical) << named;
    EXPECT_NE(card->detail.find(named), std::string::npos) << card->detail;
  };
  critical([](Facts& f) { f.age = 61; }, "Higher risk: age 61.");
  critical([](Facts& f) { f.medications.push_back(SystemicSteroid("pred-1")); }, "Higher risk: on systemic Prednisone.");
  critical(
      [](Facts& f) {
        OrderFact pred = SystemicSteroid("pred-2");
        pred.judged = false;  // drafted alongside, not the order under review
        f.orders.push_back(pred);
      },
      "Higher risk: systemic Prednisone being ordered.");
  critical([](Facts& f) { f.conditions.push_back(Transplant()); }, "Higher risk: Kidney transplant status.");
}

TEST_F(FluoroquinoloneRule, AgeSixtyIsNotOverSixty) {
  Facts f = WithTendinopathy();
  f.age = 60;
  f.orders.push_back(FluoroquinoloneOrder("fq-1"));
  Trace why;
  auto card = rule_->Evaluate(f, &why);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  EXPECT_NE(why.lines()[0].find("age 60 is not over 60"), std::string::npos);
}

TEST_F(FluoroquinoloneRule, AnUnknownAgeIsNotARiskFactor) {
  Facts f = WithTendinopathy();
  f.age.reset();
  f.orders.push_back(FluoroquinoloneOrder("fq-1"));
  Trace why;
  ASSERT_EQ(rule_->Evaluate(f, &why)->indicator, Indicator::kWarning);
  EXPECT_NE(why.lines()[0].find("age unknown"), std::string::npos);
}

TEST_F(FluoroquinoloneRule, EyeAndEarFormsAreNotCovered) {
  Facts f = WithTendinopathy();
  f.orders.push_back(FluoroquinoloneOrder("drops", /*eye_ear=*/true));
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(f, &why));
  EXPECT_NE(why.lines()[0].find("an eye or ear form"), std::string::npos);
}

TEST_F(FluoroquinoloneRule, NeedsTendinopathyOrRupture) {
  Facts none = BaseFacts(Hook::kOrderSign);
  none.orders.push_back(FluoroquinoloneOrder("fq-1"));
  EXPECT_FALSE(rule_->Evaluate(none, nullptr));
  Facts resolved = BaseFacts(Hook::kOrderSign);
  resolved.conditions.push_back(Tendinopathy("c1", /*counts=*/false));
  resolved.orders.push_back(FluoroquinoloneOrder("fq-1"));
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(resolved, &why));
  EXPECT_NE(why.lines()[0].find("clinicalStatus is resolved"), std::string::npos);
  Facts rupture = BaseFacts(Hook::kOrderSign);
  rupture.conditions.push_back(Rupture());
  rupture.orders.push_back(FluoroquinoloneOrder("fq-1"));
  auto card = rule_->Evaluate(rupture, nullptr);
  ASSERT_TRUE(card);
  EXPECT_NE(card->detail.find("for a patient with Achilles tendon rupture"), std::string::npos) << card->detail;
  EXPECT_EQ(card->summary, "Ciprofloxacin with Achilles tendon rupture: risk of tendon rupture");
}

// Fluoroquinolone labels (Warnings and Precautions 5.2): avoid them with a history of tendon disorders. A
// resolved tendinopathy or rupture gets a warning, never critical, even with risk factors (they are listed).
TEST_F(FluoroquinoloneRule, APastTendonDisorderIsAWarning) {
  Facts f = BaseFacts(Hook::kOrderSign);
  ConditionFact past = Tendinopathy("c1", /*counts=*/false);
  past.history = true;
  f.conditions.push_back(past);
  f.age = 75;
  f.orders.push_back(FluoroquinoloneOrder("fq-1"));
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  EXPECT_EQ(card->summary, "Ciprofloxacin with a past Achilles tendon disorder: tendon rupture risk");
  EXPECT_NE(card->detail.find("past Achilles tendon disorder"), std::string::npos);
  EXPECT_NE(card->detail.find("Higher risk: age 75."), std::string::npos);
  ASSERT_EQ(card->suggestions.size(), 1u);
}

// An acute S86.0x injury is a present tendon disorder: the full warning (and critical with a risk factor).
TEST_F(FluoroquinoloneRule, AnAcuteInjuryCountsAsTendonDisease) {
  Facts f = BaseFacts(Hook::kOrderSign);
  ConditionFact injury = Tendinopathy("inj");
  injury.kind = ConditionKind::kAcuteInjury;
  injury.side = Side::kLeft;
  f.conditions.push_back(injury);
  f.age = 70;
  f.orders.push_back(FluoroquinoloneOrder("fq-1"));
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kCritical);
  EXPECT_EQ(card->summary, "Ciprofloxacin with left Achilles tendon injury: risk of tendon rupture");
}

TEST_F(FluoroquinoloneRule, OnlyTheSelectionIsJudgedOnOrderSelect) {
  Facts f = WithTendinopathy(Hook::kOrderSelect);
  OrderFact other = FluoroquinoloneOrder("fq-1");
  other.judged = false;
  f.orders.push_back(other);
  EXPECT_FALSE(rule_->Evaluate(f, nullptr));
}

TEST_F(FluoroquinoloneRule, PatientViewWarnsAboutAnActiveFluoroquinoloneWithoutDeleting) {
  Facts f = WithTendinopathy(Hook::kPatientView);
  OrderFact active = FluoroquinoloneOrder("fq-active");
  active.judged = false;
  f.medications.push_back(active);
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_TRUE(card->suggestions.empty());  // an active prescription is not a draft to delete
  EXPECT_NE(card->detail.find("** is active for a patient with"), std::string::npos) << card->detail;
}

}  // namespace
}  // namespace cds::cards
