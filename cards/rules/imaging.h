// imaging (rules.md): see rules/imaging.cpp and docs/clinical-rules.md.
#pragma once

#include <memory>

#include "cards/rule.h"

namespace cds::cards {

std::unique_ptr<Rule> CreateImagingRule(ConfigReader& settings, const CardsConfig& cards);

}  // namespace cds::cards
