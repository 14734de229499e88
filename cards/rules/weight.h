// weight (rules.md): see rules/weight.cpp and docs/clinical-rules.md.
#pragma once

#include <memory>

#include "cards/rule.h"

namespace cds::cards {

std::unique_ptr<Rule> CreateWeightRule(ConfigReader& settings, const CardsConfig& cards);

}  // namespace cds::cards
