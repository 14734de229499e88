// Markdown for card details: the orders and conditions a card is about, each with the evidence that
// matched, so the clinician sees why it fired. Text from the record is markdown-escaped.
//
//   AppendOrder(card.detail, "Draft order", order);     // **Draft order:** Kenalog-40 (MedicationRequest/7)
//   AppendEvidence(card.detail, "Site", *order.site_evidence);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cards/evidence.h"
#include "cards/facts.h"

namespace cds::cards {

class Trace;

// "**<heading>:** <name> (<Type>/<id>)\n"
void AppendOrder(std::string& d, std::string_view heading, const OrderFact& order);
// "- <what>: <evidence>\n"
void AppendEvidence(std::string& d, std::string_view what, const Evidence& e);
// "<name> (<Type>/<id>; <evidence>)": how a card cites a resource and what matched in it.
void AppendCited(std::string& d, std::string_view name, std::string_view type, std::string_view id, const Evidence& e);
// "**<heading>:** <label> (Condition/<id>; <evidence>), onset <date>\n"
void AppendCondition(std::string& d, std::string_view heading, const ConditionFact& c);
// What the facts builder found, a line each (plain text, for `achilles-cds explain`).
std::vector<std::string> DescribeFacts(const Facts& facts);

// Why each condition of `kind` in the record does not count, or that there is none (for traces).
void ExplainNoActive(const Facts& facts, ConditionKind kind, std::string_view what, Trace* trace);

}  // namespace cds::cards
