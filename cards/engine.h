// The loaded decision-support configuration: value sets, rules built from their settings, and the catalog's
// services with the rules enabled on each. Immutable once loaded; a reload builds a new Engine and swaps it.
//
//   std::shared_ptr<const Engine> engine = Engine::Load("config");     // throws ConfigError
//   const Service* s = engine->Find("achilles-order-sign");
//   std::vector<Card> cards = engine->Evaluate(*s, record);
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cards/card.h"
#include "cards/card_settings.h"
#include "cards/catalog.h"
#include "cards/record.h"
#include "cards/rule.h"
#include "cards/vocabulary.h"
#include "fhir/terminology.h"

namespace cds::cards {

struct ActiveRule {
  const Rule* rule;
  const RuleEntry* entry;
};

struct Service {
  const ServiceDefinition* definition;
  std::vector<ActiveRule> rules;  // enabled in config, in the service's table order
  DataNeeds needs = 0;            // union of the rules' data, required or optional: the service's prefetch
  FactNeeds facts = 0;            // union of the rules' optional facts
};

// Why each rule of a service fired or did not (for `achilles-cds explain`).
struct RuleReport {
  RuleId id;
  bool enabled = false;
  bool suppressed = false;  // yielded to an earlier card in the same response
  bool skipped = false;     // its required data was not sent
  std::optional<Card> card;
  std::vector<std::string> reasons;
};

struct Explanation {
  std::vector<std::string> facts;  // what the facts builder found, one line each
  std::vector<RuleReport> rules;   // every rule of the service, in table order
};

class Engine {
 public:
  // Reads <dir>/cards.json, <dir>/rules/*.json and <dir>/valuesets/*.json. Throws ConfigError naming the
  // file and field of the first problem.
  static std::shared_ptr<const Engine> Load(const std::string& dir);

  const Service* Find(std::string_view service_id) const;
  const std::vector<Service>& services() const { return services_; }

  // `other_patient`, when given, counts the resources ignored for being about another patient.
  std::vector<Card> Evaluate(const Service& service, const Record& record, std::size_t* other_patient = nullptr) const;
  // True when at least one enabled rule of the service has all its required data (CDS Hooks: 412 only when
  // the service cannot run at all).
  bool CanRun(const Service& service, DataNeeds unavailable) const;
  Explanation Explain(const Service& service, const Record& record) const;

  // The configured card of a rule (enabled or not).
  const CardSettings* Settings(RuleId id) const;
  const fhir::Terminology& terminology() const { return terminology_; }
  const Vocabulary& vocabulary() const { return vocabulary_; }

 private:
  Engine() = default;

  fhir::Terminology terminology_;
  Vocabulary vocabulary_;
  CardsConfig cards_;
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<Service> services_;
};

}  // namespace cds::cards
