// The audit schema, one migration per version, shared by SQLite and PostgreSQL (plain SQL both accept).
// Never edit a released migration: add the next one. Placeholders are numbered ($1 / ?NNN) by the stores.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "audit/events.h"

namespace cds::audit {

// Migrations()[0] takes an empty database to version 1, [1] version 1 to 2, and so on.
const std::vector<const char*>& Migrations();

// Inserts that keep the first of identical rows (the card's uuid; the feedback item's content). Every value is
// bound as text; the INTEGER columns take "0"/"1" (SQLite's column affinity, PostgreSQL's inferred types).
extern const char* const kInsertCard;
extern const char* const kInsertFeedback;
// Feedback received at or after $1 (RFC 3339 UTC) on cards shown: rule, patient_key, trigger_key, outcome,
// override_code, outcome_at, received_at.
extern const char* const kResponsesSince;
// The report's rows. Cards issued at or after $1 and before $2 (RFC 3339 UTC prefixes): service, rule,
// withheld, patient_key, issued_at, and the outcome and override_code of the card's latest feedback item
// ("" when none). Then feedback received in the same span naming a card never issued: service, count.
extern const char* const kReportCards;
extern const char* const kReportUnknownFeedback;

// kInsertCard / kInsertFeedback ("INSERT … VALUES ($1 … $N) ON CONFLICT DO NOTHING") with `rows` groups of
// `columns` placeholders, numbered on: one statement, one round trip, for many rows.
std::string MultiRow(const char* single, std::size_t columns, std::size_t rows);
constexpr std::size_t kCardColumns = 14;

// The values of one row, in the order of kInsertCard / kInsertFeedback's placeholders (lists space-separated).
std::vector<std::string> CardRow(const CardIssued& c);
// The same values without copying them: views into `c` and into `lists` (its two space-joined lists), each
// NUL-terminated; valid while both are unchanged.
struct CardLists {
  std::string suggestions, evidence;
};
std::array<std::string_view, kCardColumns> CardValues(const CardIssued& c, CardLists& lists);
std::vector<std::string> FeedbackRow(const FeedbackItem& f);

}  // namespace cds::audit
