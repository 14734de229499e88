// The rule interface. A rule is a pure function of the facts and its own immutable settings to at most
// one card: no I/O, no JSON, no clock (today is a fact). Rules are built once from config/rules/<id>.json.
//
//   std::optional<Card> card = rule.Evaluate(facts, /*trace=*/nullptr);
//   Trace why;  rule.Evaluate(facts, &why);   // explain: why it fired, or why not
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cards/card.h"
#include "cards/card_settings.h"
#include "cards/config_reader.h"
#include "cards/facts.h"
#include "cards/hook.h"
#include "cards/record.h"
#include "cards/rule_id.h"

namespace cds::cards {

// Lines explaining a rule's decision; only filled when someone asks (explain), so serving pays nothing.
class Trace {
 public:
  void Note(std::string line) { lines_.push_back(std::move(line)); }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> lines_;
};

// Notes why a rule did not fire and returns no card. `reason` is a callable building the text, so serving
// (no trace) never pays for the string:  return NoCard(trace, [&] { return "BMI " + ... + " is under 30"; });
template <class Reason>
std::optional<Card> NoCard(Trace* trace, Reason reason) {
  if (trace != nullptr) trace->Note(reason());
  return std::nullopt;
}

class Rule {
 public:
  virtual ~Rule() = default;
  virtual RuleId id() const = 0;
  // The card's configured wording, links and override reasons (the rule page shows them).
  virtual const CardSettings& card_settings() const = 0;
  // The record data this rule reads on `hook`: the service's prefetch is the union over its rules. A rule
  // whose required data the EHR did not send is skipped; one missing optional data runs and says so.
  virtual DataUse needs(Hook hook) const = 0;
  // The facts only some rules read (FactKind) that this one does: a service builds no others.
  virtual FactNeeds facts() const { return 0; }
  virtual std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const = 0;
};

// A rule as the registry knows it: where it may fire, and how it is built from its settings.
struct RuleSpec {
  RuleId id;
  std::vector<Hook> hooks;  // from rules.md
  std::unique_ptr<Rule> (*create)(ConfigReader& settings, const CardsConfig& cards);
};

// Every rule, in the order cards appear in a response.
const std::vector<RuleSpec>& RuleSpecs();
const RuleSpec& SpecFor(RuleId id);

}  // namespace cds::cards
