// Version 1: the card log and the feedback items. Text columns are NOT NULL with '' for "none", so the
// uniqueness that makes a repeated feedback item count once also holds where a part is absent (NULLs are
// all distinct to a UNIQUE constraint, in both databases).
#include "audit/schema.h"

#include "audit/events.h"

namespace cds::audit {

const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> migrations = {
      R"(CREATE TABLE cards (
           card_uuid TEXT PRIMARY KEY,
           issued_at TEXT NOT NULL,
           service TEXT NOT NULL,
           hook TEXT NOT NULL,
           hook_instance TEXT NOT NULL,
           rule TEXT NOT NULL,
           indicator TEXT NOT NULL,
           suggestion_uuids TEXT NOT NULL,
           evidence TEXT NOT NULL,
           patient_key TEXT NOT NULL,
           user_key TEXT NOT NULL,
           encounter_key TEXT NOT NULL,
           trigger_key TEXT NOT NULL,
           withheld INTEGER NOT NULL);
         CREATE INDEX cards_issued_at ON cards (issued_at);
         CREATE INDEX cards_patient_rule ON cards (patient_key, rule);
         CREATE TABLE feedback (
           card_uuid TEXT NOT NULL,
           service TEXT NOT NULL,
           outcome TEXT NOT NULL,
           accepted_suggestions TEXT NOT NULL,
           override_system TEXT NOT NULL,
           override_code TEXT NOT NULL,
           has_comment INTEGER NOT NULL,
           outcome_at TEXT NOT NULL,
           received_at TEXT NOT NULL,
           UNIQUE (card_uuid, outcome, accepted_suggestions, override_system, override_code, outcome_at));
         CREATE INDEX feedback_card ON feedback (card_uuid);)",
      // Version 2: replicas follow each other's feedback by when it was received (snoozing); nothing looks a
      // card up by patient and rule, and each index is paid for on every card written.
      R"(CREATE INDEX feedback_received_at ON feedback (received_at);
         DROP INDEX cards_patient_rule;)",
  };
  return migrations;
}

const char* const kInsertCard =
    "INSERT INTO cards (card_uuid, issued_at, service, hook, hook_instance, rule, indicator, suggestion_uuids, "
    "evidence, patient_key, user_key, encounter_key, trigger_key, withheld) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
    "ON CONFLICT DO NOTHING";
const char* const kInsertFeedback =
    "INSERT INTO feedback (card_uuid, service, outcome, accepted_suggestions, override_system, override_code, "
    "has_comment, outcome_at, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
    "ON CONFLICT DO NOTHING";
const char* const kResponsesSince =
    "SELECT c.rule, c.patient_key, c.trigger_key, f.outcome, f.override_code, f.outcome_at, f.received_at "
    "FROM feedback f JOIN cards c ON c.card_uuid = f.card_uuid "
    "WHERE f.received_at >= $1 AND c.withheld = 0";
const char* const kReportCards =
    "SELECT c.service, c.rule, c.withheld, c.patient_key, c.issued_at, COALESCE(l.outcome, ''), "
    "COALESCE(l.override_code, '') "
    "FROM cards c LEFT JOIN ("
    "  SELECT card_uuid, outcome, override_code, ROW_NUMBER() OVER ("
    "    PARTITION BY card_uuid ORDER BY received_at DESC, outcome_at DESC, outcome ASC) AS n"
    "  FROM feedback) l ON l.card_uuid = c.card_uuid AND l.n = 1 "
    "WHERE c.issued_at >= $1 AND c.issued_at < $2";
const char* const kReportUnknownFeedback =
    "SELECT f.service, count(*) FROM feedback f LEFT JOIN cards c ON c.card_uuid = f.card_uuid "
    "WHERE c.card_uuid IS NULL AND f.received_at >= $1 AND f.received_at < $2 GROUP BY f.service";

std::string MultiRow(const char* single, std::size_t columns, std::size_t rows) {
  const std::string sql(single);
  const std::size_t values = sql.find("VALUES (");
  const std::size_t end = sql.rfind(')');
  std::string body;
  for (std::size_t r = 0; r < rows; ++r) {
    body += r ? ",(" : "(";
    for (std::size_t c = 0; c < columns; ++c) body += (c ? ",$" : "$") + std::to_string(r * columns + c + 1);
    body += ")";
  }
  return sql.substr(0, values + 7) + body + sql.substr(end + 1);
}

namespace {

void JoinInto(const std::vector<std::string>& parts, std::string& out) {
  out.clear();
  for (const std::string& p : parts) out.append(out.empty() ? "" : " ").append(p);
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  JoinInto(parts, out);
  return out;
}

}  // namespace

std::array<std::string_view, kCardColumns> CardValues(const CardIssued& c, CardLists& lists) {
  JoinInto(c.suggestion_uuids, lists.suggestions);
  JoinInto(c.evidence, lists.evidence);
  return {c.card_uuid, c.issued_at,         c.service,        c.hook,          c.hook_instance,
          c.rule,      c.indicator,         lists.suggestions, lists.evidence, c.patient_key,
          c.user_key,  c.encounter_key,     c.trigger_key,    c.withheld ? std::string_view("1") : std::string_view("0")};
}

std::vector<std::string> CardRow(const CardIssued& c) {
  CardLists lists;
  const auto values = CardValues(c, lists);
  return std::vector<std::string>(values.begin(), values.end());
}

std::vector<std::string> FeedbackRow(const FeedbackItem& f) {
  return {f.card_uuid,       f.service,       std::string(OutcomeName(f.outcome)), Joined(f.accepted_suggestions),
          f.override_system, f.override_code, f.has_comment ? "1" : "0",          f.outcome_at,
          f.received_at};
}

std::string_view OutcomeName(Outcome o) { return o == Outcome::kAccepted ? "accepted" : "overridden"; }

}  // namespace cds::audit
