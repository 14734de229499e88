// cards/rules/immobilisation.cpp. rules.md: tendinopathy (not rupture, not an acute S86.0x injury) and a
// cast or walking boot for that leg → warning; replace with a heel lift; physiotherapy referral. Site,
// laterality and reason decide whether the order immobilises the tendinopathic tendon.
#include <gtest/gtest.h>

#include "tests/cards/rule_fixture.h"

namespace cds::cards {
namespace {

using namespace cds::test;

class ImmobilisationRule : public ::testing::Test {
 protected:
  std::unique_ptr<Rule> rule_ = ShippedRule(RuleId::kImmobilisation);
};

TEST_F(ImmobilisationRule, WarnsAndOffersAHeelLiftAndPhysiotherapy) {
  Facts f = BaseFacts(Hook::kOrderSign);
  f.conditions.push_back(Tendinopathy());
  f.orders.push_back(ImmobilisingOrder("boot-1"));
  auto card = rule_->Evaluate(f, nullptr);
  ASSERT_TRUE(card);
  EXPECT_EQ(card->indicator, Indicator::kWarning);
  ASSERT_EQ(card->suggestions.size(), 3u);
  EXPECT_EQ(card->suggestions[0].actions[0].type, ActionType::kDelete);
  EXPECT_EQ(card->suggestions[0].actions[0].resource_type, "DeviceRequest");
  const auto& heel_lift = card->suggestions[1].actions[0].resource;
  ASSERT_TRUE(heel_lift);
  // A ServiceRequest by default: every EHR accepts it (Epic creates no DeviceRequest).
  EXPECT_EQ(heel_lift->order->kind, ProposalKind::kServiceRequest);
  EXPECT_EQ(heel_lift->order->code.code, "L3334");
  EXPECT_EQ(card->suggestions[2].actions[0].resource->order->code.code, "308447003");
  EXPECT_EQ(card->summary, "Avoid prolonged immobilisation (Walking boot) for Achilles tendinopathy");
  EXPECT_NE(card->detail.find("prolonged"), std::string::npos);
}

// A cast for the other leg, for another indication, or of another part is not this warning.
TEST_F(ImmobilisationRule, OnlyImmobilisationOfTheTendinopathicTendon) {
  auto facts = [](Side tendon, Side order) {
    Facts f = BaseFacts(Hook::kOrderSign);
    ConditionFact c = Tendinopathy();
    c.side = tendon;
    f.conditions.push_back(c);
    OrderFact o = ImmobilisingOrder("cast-1");
    o.side = order;
    f.orders.push_back(o);
    return f;
  };
  EXPECT_TRUE(rule_->Evaluate(facts(Side::kLeft, Side::kLeft), nullptr));
  EXPECT_TRUE(rule_->Evaluate(facts(Side::kLeft, Side::kUnknown), nullptr));
  EXPECT_TRUE(rule_->Evaluate(facts(Side::kUnknown, Side::kRight), nullptr));
  EXPECT_TRUE(rule_->Evaluate(facts(Side::kBoth, Side::kRight), nullptr));
  Trace other_leg;
  EXPECT_FALSE(rule_->Evaluate(facts(Side::kLeft, Side::kRight), &other_leg));
  EXPECT_NE(other_leg.lines()[0].find("for the right leg; the tendinopathy is on the left"), std::string::npos);

  Facts fracture = facts(Side::kLeft, Side::kLeft);
  fracture.orders[0].reason = ReasonClass::kOther;
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(fracture, &why));
  EXPECT_NE(why.lines()[0].find("another indication"), std::string::npos);

  Facts wrist = facts(Side::kLeft, Side::kLeft);
  wrist.orders[0].site = SiteClass::kElsewhere;
  wrist.orders[0].site_evidence = wrist.orders[0].immobilisation;
  EXPECT_FALSE(rule_->Evaluate(wrist, nullptr));

  Facts for_tendinopathy = facts(Side::kLeft, Side::kLeft);
  for_tendinopathy.orders[0].reason = ReasonClass::kTendinopathy;
  EXPECT_TRUE(rule_->Evaluate(for_tendinopathy, nullptr));
}

// codes.md: with an acute S86.0x injury rupture is not excluded: never advise against immobilisation
// on that leg (or a leg that cannot be told apart); the other leg's tendinopathy still gets the warning.
TEST_F(ImmobilisationRule, NeverAgainstImmobilisingAnInjuryThatMayBeARupture) {
  Facts f = BaseFacts(Hook::kOrderSign);
  ConditionFact tendinopathy = Tendinopathy("t");
  tendinopathy.side = Side::kLeft;
  ConditionFact injury = Tendinopathy("inj");
  injury.kind = ConditionKind::kAcuteInjury;
  injury.side = Side::kRight;
  f.conditions = {tendinopathy, injury};
  OrderFact right = ImmobilisingOrder("boot-r");
  right.side = Side::kRight;
  f.orders = {right};
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(f, &why));
  EXPECT_NE(why.lines()[0].find("may be a rupture on this leg"), std::string::npos);
  OrderFact unknown = ImmobilisingOrder("boot-?");
  f.orders = {unknown};
  EXPECT_FALSE(rule_->Evaluate(f, nullptr));
  OrderFact left = ImmobilisingOrder("boot-l");
  left.side = Side::kLeft;
  f.orders = {left};
  EXPECT_TRUE(rule_->Evaluate(f, nullptr));
  f.orders[0].reason = ReasonClass::kInjury;
  EXPECT_FALSE(rule_->Evaluate(f, nullptr));
}

TEST_F(ImmobilisationRule, NoPhysiotherapySuggestionWhenItIsUnderWay) {
  Facts f = BaseFacts(Hook::kOrderSign);
  f.conditions.push_back(Tendinopathy());
  f.care.push_back(Physiotherapy("pt"));
  f.orders.push_back(ImmobilisingOrder("boot-1"));
  EXPECT_EQ(rule_->Evaluate(f, nullptr)->suggestions.size(), 2u);
}

TEST_F(ImmobilisationRule, SilentForARuptureOrWithoutTendinopathy) {
  Facts rupture = BaseFacts(Hook::kOrderSign);
  rupture.conditions.push_back(Tendinopathy());
  rupture.conditions.push_back(Rupture());
  rupture.orders.push_back(ImmobilisingOrder("boot-1"));
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(rupture, &why));
  EXPECT_NE(why.lines()[0].find("may be a rupture on this leg"), std::string::npos);
  Facts none = BaseFacts(Hook::kOrderSign);
  none.orders.push_back(ImmobilisingOrder("boot-1"));
  EXPECT_FALSE(rule_->Evaluate(none, nullptr));
}

}  // namespace
}  // namespace cds::cards
