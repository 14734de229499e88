// The words of a card, for a clinician reading it in five seconds: what was found ("Left Achilles
// tendinopathy for 4 weeks"), the drug's short name, the side, how long ago; the "Based on:" line; what
// could not be checked. Text from the record is markdown-escaped. Provenance (resource ids, codes, value
// sets) is not written here: it goes into Card::evidence for explain and the card log.
//
//   d.append(ConditionWords(c, /*capital=*/true)).append(" ").append(Since(c.onset, facts.today));
//   AppendAction(d, settings, FillTemplate(settings.action, {}));
//   AppendBasedOn(d, {&c});
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cards/card_settings.h"
#include "cards/evidence.h"
#include "cards/facts.h"

namespace cds::cards {

class Trace;

// "left " / "Left " / "bilateral " / "" — to put before "Achilles".
std::string SidePrefix(Side side, bool capital);
// "Achilles tendinopathy", "Achilles tendon injury", "Achilles tendon rupture", with the side before it.
std::string ConditionWords(const ConditionFact& c, bool capital);
// How long ago a date was, never over-stated: "today", "3 days ago", "4 weeks ago", "5 months ago",
// "2 years ago"; a partial date reads as written ("in 2026-09"). Empty when there is no date.
std::string Ago(const std::optional<fhir::FhirDate>& date, fhir::Date today);
// Whole weeks from the latest day `date` allows until today (never over-stated).
int WeeksSince(const fhir::FhirDate& date, fhir::Date today);
// The drug's name as a clinician says it: the ingredient or brand the value set found in the label
// ("Kenalog", "ciprofloxacin"), else the label shortened, else `fallback`. At most 40 characters.
std::string DrugName(const OrderFact& o, const fhir::ValueSet& names, std::string_view fallback);
inline constexpr std::size_t kMaxDrugName = 40;
// The text with its first letter in upper case (ASCII), for the start of a summary.
std::string Capitalised(std::string text);

// "**Kenalog-40 injection, Depo-Medrol** +2 more": the orders' names in bold, at most three of them.
void AppendOrderNames(std::string& d, const std::vector<const OrderFact*>& orders);

// The configured action sentence (already filled) as its own paragraph, then the configured points.
void AppendAction(std::string& d, std::string_view action, const std::vector<std::string>& points);
// "Based on: Achilles tendinitis, left leg (ICD-10-CM M76.62); …" — at most two diagnoses, then "+N more".
void AppendBasedOn(std::string& d, const std::vector<const ConditionFact*>& conditions);
// "Not checked (the EHR sent no data): …" for every kind in `used` that the EHR did not send.
void AppendNotChecked(std::string& d, const Facts& facts, DataNeeds used);
// The text with markdown escaped (record text), appended.
inline void AppendText(std::string& d, std::string_view text) { AppendEscapedMarkdown(d, text); }

// The counting conditions of a kind, in record order.
std::vector<const ConditionFact*> Active(const Facts& facts, ConditionKind kind);

// What the facts builder found, a line each (plain text, for `achilles-cds explain`).
std::vector<std::string> DescribeFacts(const Facts& facts);
// Why each condition of `kind` in the record does not count, or that there is none (for traces).
void ExplainNoActive(const Facts& facts, ConditionKind kind, std::string_view what, Trace* trace);

}  // namespace cds::cards
