// Audit events for the store and recorder tests: a card record and feedback items with every column set,
// so a store that dropped or mixed up a column would show it.
#pragma once

#include <string>

#include "audit/events.h"

namespace cds::test {

// A critical steroid-injection card; withheld when its uuid ends in '7'.
inline audit::CardIssued SampleCard(const std::string& uuid) {
  audit::CardIssued c;
  c.issued_at = "2026-12-01T10:00:00Z";
  c.service = "achilles-order-sign";
  c.hook = "order-sign";
  c.hook_instance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea";
  c.rule = "steroid-injection";
  c.indicator = "critical";
  c.card_uuid = uuid;
  c.suggestion_uuids = {uuid + "-s1", uuid + "-s2"};
  c.evidence = {"http://www.nlm.nih.gov/research/umls/rxnorm|1085728"};
  c.patient_key = "p-key";
  c.trigger_key = "t-key";
  c.withheld = !uuid.empty() && uuid.back() == '7';
  return c;
}

// Overridden with reason `code` and a comment.
inline audit::FeedbackItem SampleOverride(const std::string& card, const std::string& code) {
  audit::FeedbackItem f;
  f.service = "achilles-order-sign";
  f.card_uuid = card;
  f.outcome = audit::Outcome::kOverridden;
  f.override_system = "http://example.org/reasons";
  f.override_code = code;
  f.has_comment = true;
  f.outcome_at = "2026-12-01T10:01:00Z";
  f.received_at = "2026-12-01T10:01:01Z";
  return f;
}

inline audit::FeedbackItem SampleAcceptance(const std::string& card) {
  audit::FeedbackItem f;
  f.service = "achilles-order-sign";
  f.card_uuid = card;
  f.accepted_suggestions = {card + "-s1"};
  f.outcome_at = "2026-12-01T10:01:00Z";
  f.received_at = "2026-12-01T10:01:01Z";
  return f;
}

}  // namespace cds::test
