// cards/rules/escalation.cpp. rules.md: tendinopathy still active the configured weeks (8) after
// physiotherapy STARTED → review progress; from 12 weeks of it the orthopaedic referral is the prompt.
// Never "conservative care has failed": the service has no outcome data.
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
  EXPECT_EQ(card->summary, "Achilles tendinopathy still active after 8 weeks of physiotherapy: review progress");
  EXPECT_FALSE(card->suggestions[0].recommended);  // the referral is offered, not yet the prompt
  EXPECT_EQ(card->detail.find("failed"), std::string::npos) << card->detail;
  // PRP: both good trials were negative — "not recommended", never "mixed evidence".
  EXPECT_NE(card->detail.find("PRP injection is not recommended"), std::string::npos) << card->detail;
  EXPECT_EQ(card->detail.find("mixed"), std::string::npos);
  EXPECT_EQ(card->detail.find("minimally invasive"), std::string::npos);  // rupture-repair data: not here
}

// Physiotherapy referred last week for a 14-week-old tendinopathy is not 14 weeks of care.
TEST_F(EscalationRule, WeeksCountFromWhenPhysiotherapyStarted) {
  Facts f = Weeks("2026-08-20");  // onset 14 weeks ago
  f.care.clear();
  f.care.push_back(Care(CareKind::kPhysiotherapy, "pt", "2026-11-21"));
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(f, &why));
  EXPECT_NE(why.lines().back().find("1 week(s), under the 8-week threshold"), std::string::npos) << why.lines().back();
  // A referral drafted now starts today.
  Facts drafted = Weeks("2026-08-20");
  drafted.care.clear();
  drafted.care.push_back(Physiotherapy("pt-new", /*drafted=*/true));
  EXPECT_FALSE(rule_->Evaluate(drafted, nullptr));
  // The earliest physiotherapy since onset starts the count.
  Facts two = Weeks("2026-08-20");
  two.care.clear();
  two.care.push_back(Care(CareKind::kPhysiotherapy, "later", "2026-11-01"));
  two.care.push_back(Care(CareKind::kPhysiotherapy, "first", "2026-09-20"));
  auto card = rule_->Evaluate(two, nullptr);
  ASSERT_TRUE(card);
  EXPECT_NE(card->summary.find("after 9 weeks of physiotherapy"), std::string::npos) << card->summary;
}

TEST_F(EscalationRule, UndatedPhysiotherapyCannotBeCounted) {
  Facts f = Weeks("2026-08-01");
  f.care[0].date.reset();
  Trace why;
  EXPECT_FALSE(rule_->Evaluate(f, &why));
  EXPECT_NE(why.lines().back().find("has no date"), std::string::npos);
}

TEST_F(EscalationRule, FromTwelveWeeksTheReferralIsThePrompt) {
  auto eleven = rule_->Evaluate(Weeks("2026-09-06"), nullptr);  // 83 days
  ASSERT_TRUE(eleven);
  EXPECT_FALSE(eleven->suggestions[0].recommended);
  auto twelve = rule_->Evaluate(Weeks("2026-09-05"), nullptr);  // 84 days
  ASSERT_TRUE(twelve);
  EXPECT_TRUE(twelve->suggestions[0].recommended);
  EXPECT_NE(twelve->summary, twelve->settings->summary);
  EXPECT_EQ(twelve->summary,
            "Achilles tendinopathy after 12 weeks of physiotherapy: consider orthopaedic opinion");
  EXPECT_NE(twelve->detail.find("consider an orthopaedic opinion"), std::string::npos) << twelve->detail;
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
  EXPECT_NE(why2.lines()[0].find("no active Achilles tendinopathy with a known onset"), std::string::npos);
}

TEST_F(EscalationRule, SilentWhenAlreadyReferredOrRuptured) {
  Facts referred = Weeks("2026-08-01");
  referred.care.push_back(Care(CareKind::kOrthopaedic, "ortho", "2026-11-01"));
  EXPECT_FALSE(rule_->Evaluate(referred, nullptr));
  Facts ruptured = Weeks("2026-08-01");
  ruptured.conditions.push_back(Rupture());
  EXPECT_FALSE(rule_->Evaluate(ruptured, nullptr));
  Facts injured = Weeks("2026-08-01");
  ConditionFact injury = Tendinopathy("inj");
  injury.kind = ConditionKind::kAcuteInjury;
  injured.conditions.push_back(injury);
  EXPECT_FALSE(rule_->Evaluate(injured, nullptr));
}

}  // namespace
}  // namespace cds::cards
