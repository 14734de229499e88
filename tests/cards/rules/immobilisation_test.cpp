// cards/rules/immobilisation.cpp. rules.md: tendinopathy (not rupture) and a cast or walking boot →
// warning; replace with a heel lift; physiotherapy referral.
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
  EXPECT_EQ(heel_lift->order->kind, ProposalKind::kDeviceRequest);
  EXPECT_EQ(heel_lift->order->code.code, "L3334");
  EXPECT_EQ(card->suggestions[2].actions[0].resource->order->code.code, "308447003");
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
  EXPECT_NE(why.lines()[0].find("rupture pathway"), std::string::npos);
  Facts none = BaseFacts(Hook::kOrderSign);
  none.orders.push_back(ImmobilisingOrder("boot-1"));
  EXPECT_FALSE(rule_->Evaluate(none, nullptr));
}

}  // namespace
}  // namespace cds::cards
