// cards/rules/steroid_injection.cpp, from facts built in C++. rules.md: critical when the site is the
// Achilles; warning when the site is unstated but the patient has tendinopathy; silent for injections
// clearly elsewhere, oral/topical forms, and orders not under review.
#include <gtest/gtest.h>

#include "tests/cards/rule_fixture.h"

namespace cds::cards {
namespace {

using test::BaseFacts;
using test::Physiotherapy;
using test::SteroidOrder;
using test::Tendinopathy;

class SteroidInjectionRule : public ::testing::Test {
 protected:
  std::unique_ptr<Rule> rule_ = test::ShippedRule(RuleId::kSteroidInjection);
};

TEST_F(SteroidInjectionRule, InjectionAtTheAchillesIsCriticalWithDeleteAndReferral) {
  Facts f = BaseFacts(Hook::kOrderSign);
  f.conditions.push_back(Tendinopathy());
  f.orders.push_back(SteroidOrder("inj-1", RouteClass::kLocalInjection, SiteClass::kAchilles));
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kCritical);
  EXPECT_EQ(card->rule, RuleId::kSteroidInjection);
  EXPECT_EQ(card->settings->source.topic.code, "steroidInjection");
  ASSERT_EQ(card->suggestions.size(), 2u);
  EXPECT_EQ(card->suggestions[0].actions[0].type, ActionType::kDelete);
  EXPECT_EQ(card->suggestions[0].actions[0].resource_type, "MedicationRequest");
  EXPECT_EQ(card->suggestions[0].actions[0].resource_id, "inj-1");
  const Action& create = card->suggestions[1].actions[0];
  ASSERT_TRUE(create.resource);
  EXPECT_EQ(create.resource->order->code.code, "308447003");
  EXPECT_EQ(create.resource->patient_id, "pat-1");
  EXPECT_EQ(create.resource->condition_ids, std::vector<std::string_view>{"c1"});
  EXPECT_EQ(card->selection, SelectionBehavior::kAny);
  // The summary names the drug; the detail opens with the order and its site in clinical words, then the
  // action ("avoid", not "never"), then one "Based on:" line; resource ids stay in the evidence.
  EXPECT_EQ(card->summary, "Avoid Kenalog-40 injection at the Achilles tendon: rupture risk");
  EXPECT_EQ(card->detail.rfind("**Kenalog-40 injection** at the Achilles tendon.", 0), 0u) << card->detail;
  EXPECT_NE(card->detail.find("Avoid injecting corticosteroid"), std::string::npos);
  EXPECT_EQ(card->detail.find("never"), std::string::npos);
  EXPECT_NE(card->detail.find("Based on: Achilles tendinitis, left leg (ICD-10-CM M76.62)."), std::string::npos);
  EXPECT_EQ(card->detail.find("MedicationRequest/inj-1"), std::string::npos) << card->detail;
  EXPECT_FALSE(card->evidence.empty());
  EXPECT_FALSE(card->settings->override_reasons.empty());
}

TEST_F(SteroidInjectionRule, CriticalEvenWithoutADiagnosis) {
  Facts f = BaseFacts(Hook::kOrderSign);
  f.orders.push_back(SteroidOrder("inj-1", RouteClass::kUnknown, SiteClass::kAchilles));
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kCritical);
  EXPECT_TRUE(card->suggestions[1].actions[0].resource->condition_ids.empty());  // no Condition to cite
}

TEST_F(SteroidInjectionRule, SiteNotStatedWarnsOnlyWithTendinopathy) {
  Facts f = BaseFacts(Hook::kOrderSign);
  f.orders.push_back(SteroidOrder("inj-1", RouteClass::kLocalInjection, SiteClass::kUnstated));
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(f, &why));
  ASSERT_FALSE(why.lines().empty());
  EXPECT_NE(why.lines()[0].find("no active Achilles tendon disorder"), std::string::npos) << why.lines()[0];

  f.conditions.push_back(Tendinopathy());
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  EXPECT_NE(card->detail.find("not stated"), std::string::npos);
}

TEST_F(SteroidInjectionRule, ARuptureAlsoMakesAnUnstatedSiteWarn) {
  Facts f = BaseFacts(Hook::kOrderSign);
  f.conditions.push_back(test::Rupture("r1"));
  f.orders.push_back(SteroidOrder("inj-1", RouteClass::kInjection, SiteClass::kUnstated));
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  EXPECT_NE(card->detail.find("Based on: Rupture of Achilles tendon (SNOMED CT 429513001)"), std::string::npos)
      << card->detail;
  // Loading exercise is not the better order for a ruptured tendon: only the delete is offered.
  ASSERT_EQ(card->suggestions.size(), 1u);
  EXPECT_EQ(card->suggestions[0].actions[0].type, ActionType::kDelete);
}

// "Ankle" is not the Achilles: an injection at the ankle with no structure named is at most the
// site-not-stated warning (with an Achilles tendon disorder), never critical.
TEST_F(SteroidInjectionRule, TheAnkleRegionIsNotTheAchilles) {
  Facts f = BaseFacts(Hook::kOrderSign);
  f.orders.push_back(SteroidOrder("inj-1", RouteClass::kInjection, SiteClass::kAnkleRegion));
  EXPECT_FALSE(rule_->Evaluate(f, nullptr));
  f.conditions.push_back(Tendinopathy());
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  EXPECT_NE(card->detail.find("ankle, structure not stated"), std::string::npos) << card->detail;
  EXPECT_EQ(card->summary, "Kenalog-40 injection, site not stated, with Achilles tendon disease: avoid the tendon");
}

// An acute S86.0x injury keeps the steroid warning (the injured tendon is at risk too).
TEST_F(SteroidInjectionRule, AnAcuteInjuryMakesAnUnstatedSiteWarn) {
  Facts f = BaseFacts(Hook::kOrderSign);
  ConditionFact injury = Tendinopathy("inj");
  injury.kind = ConditionKind::kAcuteInjury;
  f.conditions.push_back(injury);
  f.orders.push_back(SteroidOrder("inj-1", RouteClass::kInjection, SiteClass::kUnstated));
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  ASSERT_EQ(card->suggestions.size(), 1u);  // no loading referral while rupture is not excluded
}

TEST_F(SteroidInjectionRule, ResolvedTendinopathyDoesNotMakeAnUnstatedSiteWarn) {
  Facts f = BaseFacts(Hook::kOrderSign);
  f.conditions.push_back(Tendinopathy("c1", /*counts=*/false));
  f.orders.push_back(SteroidOrder("inj-1", RouteClass::kInjection, SiteClass::kUnstated));
  EXPECT_FALSE(rule_->Evaluate(f, nullptr));
}

TEST_F(SteroidInjectionRule, SilentForElsewhereOralTopicalSystemicAndGuesses) {
  for (auto [route, site] : std::vector<std::pair<RouteClass, SiteClass>>{
           {RouteClass::kLocalInjection, SiteClass::kElsewhere},
           {RouteClass::kOral, SiteClass::kUnstated},
           {RouteClass::kOral, SiteClass::kAchilles},
           {RouteClass::kTopical, SiteClass::kAchilles},
           {RouteClass::kSystemicInjection, SiteClass::kUnstated},
           {RouteClass::kUnknown, SiteClass::kUnstated},
       }) {
    Facts f = BaseFacts(Hook::kOrderSign);
    f.conditions.push_back(Tendinopathy());
    f.orders.push_back(SteroidOrder("inj-1", route, site));
    Trace why;
    EXPECT_FALSE(rule_->Evaluate(f, &why)) << static_cast<int>(route) << "/" << static_cast<int>(site);
    EXPECT_FALSE(why.lines().empty());
  }
}

TEST_F(SteroidInjectionRule, OrdersNotUnderReviewAreIgnored) {
  Facts f = BaseFacts(Hook::kOrderSelect);
  OrderFact o = SteroidOrder("inj-1", RouteClass::kLocalInjection, SiteClass::kAchilles);
  o.judged = false;
  f.orders.push_back(o);
  EXPECT_FALSE(rule_->Evaluate(f, nullptr));
}

TEST_F(SteroidInjectionRule, SeveralOrdersMakeOneCardWithADeletePerOrderAndTheWorstIndicator) {
  Facts f = BaseFacts(Hook::kOrderSign);
  f.conditions.push_back(Tendinopathy());
  f.orders.push_back(SteroidOrder("a", RouteClass::kInjection, SiteClass::kUnstated));
  f.orders.push_back(SteroidOrder("b", RouteClass::kLocalInjection, SiteClass::kAchilles));
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kCritical);
  ASSERT_EQ(card->suggestions.size(), 3u);
  EXPECT_EQ(card->suggestions[0].actions[0].resource_id, "a");
  EXPECT_EQ(card->suggestions[1].actions[0].resource_id, "b");
}

TEST_F(SteroidInjectionRule, NoReferralSuggestionWhenPhysiotherapyIsOnRecord) {
  Facts f = BaseFacts(Hook::kOrderSign);
  f.conditions.push_back(Tendinopathy());
  f.care.push_back(Physiotherapy("pt-1"));
  f.orders.push_back(SteroidOrder("inj-1", RouteClass::kLocalInjection, SiteClass::kAchilles));
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  ASSERT_EQ(card->suggestions.size(), 1u);
  EXPECT_EQ(card->suggestions[0].actions[0].type, ActionType::kDelete);
}

TEST_F(SteroidInjectionRule, AnOrderWithoutIdGetsNoDeleteSuggestion) {
  Facts f = BaseFacts(Hook::kOrderSign);
  f.orders.push_back(SteroidOrder("", RouteClass::kLocalInjection, SiteClass::kAchilles));
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  ASSERT_EQ(card->suggestions.size(), 1u);
  EXPECT_EQ(card->suggestions[0].actions[0].type, ActionType::kCreate);
}

}  // namespace
}  // namespace cds::cards
