// steroid-injection (rules.md): a draft order for a local corticosteroid injection at or near the Achilles
// tendon (critical), or an injection whose site is not stated in a patient with Achilles tendinopathy
// (warning). Evidence: corticosteroid and route/site value sets; CPT 20550/20551.
#pragma once

#include <memory>

#include "cards/rule.h"

namespace cds::cards {

std::unique_ptr<Rule> CreateSteroidInjectionRule(ConfigReader& settings, const CardsConfig& cards);

}  // namespace cds::cards
