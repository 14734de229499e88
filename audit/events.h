// What the audit trail records: every card the service issued (or withheld) and every response the EHR
// reported back (CDS Hooks 2.0 §Feedback). Identifiers appear only as pseudonymous keys (see pseudonym.h);
// there is no name, no free text, no raw id and no token in either.
#pragma once

#include <string>
#include <variant>
#include <vector>

namespace cds::audit {

struct CardIssued {
  std::string issued_at;      // RFC 3339 UTC, seconds: "2026-12-01T10:05:31Z"
  std::string service;        // achilles-patient-view
  std::string hook;           // patient-view
  std::string hook_instance;  // the EHR's UUID for this hook call
  std::string rule;           // eccentric-rehab
  std::string indicator;      // info | warning | critical
  std::string card_uuid;
  std::vector<std::string> suggestion_uuids;
  std::vector<std::string> evidence;  // "system|code" of each coding that made it fire (no text, no ids)
  std::string patient_key, user_key, encounter_key;  // pseudonymous; "" when the call had none
  std::string trigger_key;  // pseudonymous fingerprint of the resources that made it fire
  bool withheld = false;    // snoozed after an override: recorded, not shown
};

enum class Outcome { kAccepted, kOverridden };

struct FeedbackItem {
  std::string service;
  std::string card_uuid;
  Outcome outcome = Outcome::kAccepted;
  std::vector<std::string> accepted_suggestions;  // suggestion uuids (accepted)
  std::string override_system, override_code;     // overrideReason.reason, when given
  bool has_comment = false;                       // a userComment was sent (its text is never kept)
  std::string outcome_at;                         // outcomeTimestamp, as sent (RFC 3339)
  std::string received_at;                        // when this service received it, RFC 3339 UTC
};

using Event = std::variant<CardIssued, FeedbackItem>;

std::string_view OutcomeName(Outcome o);

}  // namespace cds::audit
