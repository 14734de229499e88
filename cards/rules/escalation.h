// escalation (rules.md): see rules/escalation.cpp and docs/clinical-rules.md.
#pragma once

#include <memory>

#include "cards/rule.h"

namespace cds::cards {

std::unique_ptr<Rule> CreateEscalationRule(ConfigReader& settings, const CardsConfig& cards);

}  // namespace cds::cards
