// Card detail markdown helpers.
#include "cards/detail.h"

#include "cards/card_settings.h"
#include "cards/rule.h"

namespace cds::cards {

void AppendOrder(std::string& d, std::string_view heading, const OrderFact& order) {
  d.append("**").append(heading).append(":** ");
  AppendEscapedMarkdown(d, OrderName(order));
  d.append(" (").append(order.type).append("/").append(order.id).append(")\n");
}

void AppendEvidence(std::string& d, std::string_view what, const Evidence& e) {
  d.append("- ").append(what).append(": ");
  AppendDescription(d, e);
  d.append("\n");
}

void AppendCondition(std::string& d, std::string_view heading, const ConditionFact& c) {
  d.append("**").append(heading).append(":** ");
  AppendEscapedMarkdown(d, c.label);
  d.append(" (Condition/").append(c.id).append("; ");
  AppendDescription(d, c.evidence);
  d.append(")");
  if (c.onset) d.append(", onset ").append(c.onset->earliest.ToString());
  d.append("\n\n");
}

void ExplainNoActive(const Facts& facts, ConditionKind kind, std::string_view what, Trace* trace) {
  if (trace == nullptr) return;
  bool any = false;
  for (const ConditionFact& c : facts.conditions) {
    if (c.kind != kind) continue;
    any = true;
    trace->Note("Condition/" + std::string(c.id) + " (" + std::string(c.label) +
                ") does not count: " + std::string(c.excluded_because));
  }
  if (!any) trace->Note("no " + std::string(what) + " Condition in the record");
}

}  // namespace cds::cards
