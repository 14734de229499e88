// immobilisation (rules.md): see rules/immobilisation.cpp and docs/clinical-rules.md.
#pragma once

#include <memory>

#include "cards/rule.h"

namespace cds::cards {

std::unique_ptr<Rule> CreateImmobilisationRule(ConfigReader& settings, const CardsConfig& cards);

}  // namespace cds::cards
