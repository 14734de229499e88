// escalation (rules.md): see rules/escalation.cpp and docs/clinical-rules.md.
#pragma once

#include <memory>
#include <string>

#include "cards/rule.h"

namespace cds::cards {

std::unique_ptr<Rule> CreateEscalationRule(ConfigReader& settings, const CardsConfig& cards);

// The rule's weeks of physiotherapy (config/rules/escalation.json "thresholds"): the population audit counts
// escalation against the same weeks the card prompts at.
struct EscalationThresholds {
  int weeks_review = 8;     // still active after this many weeks of physiotherapy: review
  int weeks_surgical = 12;  // past this many: an orthopaedic opinion is the prompt
};
EscalationThresholds ReadEscalationThresholds(ConfigReader& thresholds);
// Reads them from <config_dir>/rules/escalation.json; throws fhir::ConfigError naming the file and field.
EscalationThresholds LoadEscalationThresholds(const std::string& config_dir);

}  // namespace cds::cards
