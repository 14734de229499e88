// fluoroquinolone (rules.md): a systemic fluoroquinolone (not an eye or ear form) for a patient with
// Achilles tendinopathy or rupture → warning; critical when also over the configured age (60), on a
// systemic corticosteroid, or a kidney/heart/lung transplant recipient.
#pragma once

#include <memory>

#include "cards/rule.h"

namespace cds::cards {

std::unique_ptr<Rule> CreateFluoroquinoloneRule(ConfigReader& settings, const CardsConfig& cards);

}  // namespace cds::cards
