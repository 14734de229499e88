// A card log with a known answer for the report tests (SQLite and PostgreSQL alike), counted by hand:
//
//   period 2026-11-16 … 2026-11-29 (two weeks: from Monday 11-16 and Monday 11-23)
//   achilles-patient-view eccentric-rehab
//     c1 p1 11-16  overridden "already-exercising", then accepted later  → accepted (the latest counts)
//     c2 p2 11-17  overridden "already-exercising"                       → overridden
//     c3 p3 11-24  overridden "patient-declines"                         → overridden
//     c4 p1 11-25  no feedback                                           → no response
//     c5 p2 11-26  withheld                                              → snoozed
//     c0 p5 11-15T23:59:59Z and c6 p4 11-30T00:00:00Z                    → outside the period
//   achilles-order-sign steroid-injection
//     s1 p1 11-18  accepted (the EHR sent it twice)                      → accepted
//     s2 p6 11-23T00:00:00Z overridden without a reason                  → overridden, "(no reason given)"
//   feedback naming no card: one received 11-20 (counted), one 12-05 (outside)
//
//   eccentric-rehab: issued 4, snoozed 1, patients 3, accepted 1, overridden 2, no response 1, acceptance 25%;
//     reasons already-exercising 1, patient-declines 1; week 11-16: 2 issued, 1 accepted, 1 overridden;
//     week 11-23: 2 issued, 1 overridden, 1 no response, 1 snoozed
//   steroid-injection: issued 2, patients 2, accepted 1, overridden 1, acceptance 50%
//   all: issued 6 to 4 patients, accepted 2, overridden 3, no response 1, snoozed 1; unknown feedback 1
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/report.h"
#include "audit/store.h"

namespace cds::test {

inline audit::CardIssued ScenarioCard(const std::string& uuid, const std::string& rule, const std::string& patient,
                                      const std::string& issued_at, bool withheld = false) {
  audit::CardIssued c;
  c.card_uuid = uuid;
  c.rule = rule;
  c.service = rule == "steroid-injection" ? "achilles-order-sign" : "achilles-patient-view";
  c.hook = rule == "steroid-injection" ? "order-sign" : "patient-view";
  c.indicator = rule == "steroid-injection" ? "critical" : "info";
  c.hook_instance = "hi-" + uuid;
  c.patient_key = patient;
  c.user_key = "u1";
  c.trigger_key = "t-" + patient;
  c.issued_at = issued_at;
  c.withheld = withheld;
  return c;
}

inline audit::FeedbackItem ScenarioFeedback(const std::string& card, audit::Outcome outcome, const std::string& code,
                                            const std::string& at) {
  audit::FeedbackItem f;
  f.card_uuid = card;
  f.service = card[0] == 's' || card[0] == 'z' ? "achilles-order-sign" : "achilles-patient-view";
  f.outcome = outcome;
  if (!code.empty()) f.override_system = "https://achilles-cds.org/fhir/CodeSystem/override-reason";
  f.override_code = code;
  if (outcome == audit::Outcome::kAccepted) f.accepted_suggestions = {card + "-s1"};
  f.outcome_at = at;
  f.received_at = at;
  return f;
}

inline void WriteReportScenario(audit::Store& store) {
  using audit::Outcome;
  std::vector<audit::Event> e = {
      ScenarioCard("c0", "eccentric-rehab", "p5", "2026-11-15T23:59:59Z"),
      ScenarioCard("c1", "eccentric-rehab", "p1", "2026-11-16T09:00:00Z"),
      ScenarioCard("c2", "eccentric-rehab", "p2", "2026-11-17T09:00:00Z"),
      ScenarioCard("c3", "eccentric-rehab", "p3", "2026-11-24T09:00:00Z"),
      ScenarioCard("c4", "eccentric-rehab", "p1", "2026-11-25T09:00:00Z"),
      ScenarioCard("c5", "eccentric-rehab", "p2", "2026-11-26T09:00:00Z", /*withheld=*/true),
      ScenarioCard("c6", "eccentric-rehab", "p4", "2026-11-30T00:00:00Z"),
      ScenarioCard("s1", "steroid-injection", "p1", "2026-11-18T09:00:00Z"),
      ScenarioCard("s2", "steroid-injection", "p6", "2026-11-23T00:00:00Z"),
      ScenarioFeedback("c1", Outcome::kOverridden, "already-exercising", "2026-11-16T09:01:00Z"),
      ScenarioFeedback("c1", Outcome::kAccepted, "", "2026-11-16T09:05:00Z"),
      ScenarioFeedback("c2", Outcome::kOverridden, "already-exercising", "2026-11-17T09:01:00Z"),
      ScenarioFeedback("c3", Outcome::kOverridden, "patient-declines", "2026-11-24T09:01:00Z"),
      ScenarioFeedback("s1", Outcome::kAccepted, "", "2026-11-18T09:01:00Z"),
      ScenarioFeedback("s1", Outcome::kAccepted, "", "2026-11-18T09:01:00Z"),
      ScenarioFeedback("s2", Outcome::kOverridden, "", "2026-11-23T00:01:00Z"),
      ScenarioFeedback("zz-unknown", Outcome::kOverridden, "", "2026-11-20T10:00:00Z"),
      ScenarioFeedback("zz-later", Outcome::kOverridden, "", "2026-12-05T10:00:00Z"),
  };
  store.Write(e);
}

// The hand-computed answer above, checked field by field.
inline void ExpectReportScenario(const audit::Report& r) {
  EXPECT_EQ(r.from, "2026-11-16");
  EXPECT_EQ(r.to, "2026-11-29");
  ASSERT_EQ(r.rules.size(), 2u);
  const audit::RuleReport& sign = r.rules[0];  // services in order: order-sign before patient-view
  const audit::RuleReport& view = r.rules[1];
  EXPECT_EQ(sign.service, "achilles-order-sign");
  EXPECT_EQ(sign.rule, "steroid-injection");
  EXPECT_EQ(view.rule, "eccentric-rehab");
  EXPECT_EQ(view.counts.issued, 4);
  EXPECT_EQ(view.counts.snoozed, 1);
  EXPECT_EQ(view.patients, 3);
  EXPECT_EQ(view.counts.accepted, 1);
  EXPECT_EQ(view.counts.overridden, 2);
  EXPECT_EQ(view.counts.no_response(), 1);
  EXPECT_DOUBLE_EQ(view.counts.acceptance_rate().value_or(-1), 0.25);
  using Reasons = std::vector<std::pair<std::string, long>>;
  EXPECT_EQ(view.override_reasons, (Reasons{{"already-exercising", 1}, {"patient-declines", 1}}));
  ASSERT_EQ(view.weeks.size(), 2u);
  EXPECT_EQ(view.weeks[0].week, "2026-11-16");
  EXPECT_EQ(view.weeks[0].counts.issued, 2);
  EXPECT_EQ(view.weeks[0].counts.accepted, 1);
  EXPECT_EQ(view.weeks[0].counts.overridden, 1);
  EXPECT_EQ(view.weeks[1].week, "2026-11-23");
  EXPECT_EQ(view.weeks[1].counts.issued, 2);
  EXPECT_EQ(view.weeks[1].counts.overridden, 1);
  EXPECT_EQ(view.weeks[1].counts.no_response(), 1);
  EXPECT_EQ(view.weeks[1].counts.snoozed, 1);
  EXPECT_EQ(sign.counts.issued, 2);
  EXPECT_EQ(sign.patients, 2);
  EXPECT_EQ(sign.counts.accepted, 1);
  EXPECT_EQ(sign.counts.overridden, 1);
  EXPECT_EQ(sign.override_reasons, (Reasons{{"", 1}}));
  EXPECT_EQ(sign.weeks[0].counts.accepted, 1);
  EXPECT_EQ(sign.weeks[1].counts.overridden, 1);
  EXPECT_EQ(r.total.issued, 6);
  EXPECT_EQ(r.patients, 4);
  EXPECT_EQ(r.total.accepted, 2);
  EXPECT_EQ(r.total.overridden, 3);
  EXPECT_EQ(r.total.no_response(), 1);
  EXPECT_EQ(r.total.snoozed, 1);
  EXPECT_EQ(r.unknown_feedback, (std::map<std::string, long>{{"achilles-order-sign", 1}}));
}

}  // namespace cds::test
