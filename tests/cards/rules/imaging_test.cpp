// cards/rules/imaging.cpp. rules.md: a provisional/differential/unconfirmed tendinopathy and no ultrasound or
// MRI on record → confirm with imaging.
#include <gtest/gtest.h>

#include "tests/cards/rule_fixture.h"

namespace cds::cards {
namespace {

using namespace cds::test;

class ImagingRule : public ::testing::Test {
 protected:
  Facts WithVerification(std::string_view status) {
    Facts f = BaseFacts(Hook::kPatientView);
    ConditionFact c = Tendinopathy();
    c.verification_status = status;
    f.conditions.push_back(c);
    return f;
  }
  std::unique_ptr<Rule> rule_ = ShippedRule(RuleId::kImaging);
};

TEST_F(ImagingRule, UnconfirmedDiagnosesPromptAnUltrasound) {
  for (const char* status : {"provisional", "differential", "unconfirmed"}) {
    auto card = rule_->Evaluate(WithVerification(status), nullptr);
    ASSERT_TRUE(card) << status;
    EXPECT_EQ(card->suggestions[0].actions[0].resource->order->code.code, "76882");
  }
}

TEST_F(ImagingRule, ConfirmedOrAbsentVerificationNeedsNoImaging) {
  for (const char* status : {"confirmed", ""}) {
    Trace why;
    EXPECT_FALSE(rule_->Evaluate(WithVerification(status), &why)) << status;
    EXPECT_NE(why.lines()[0].find("not a provisional diagnosis"), std::string::npos);
  }
}

TEST_F(ImagingRule, SilentWhenImagingIsOnRecord) {
  Facts f = WithVerification("provisional");
  f.care.push_back(Care(CareKind::kImaging, "us-1", "2025-01-01"));
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(f, &why));
  EXPECT_NE(why.lines()[0].find("already on record"), std::string::npos);
}

}  // namespace
}  // namespace cds::cards
