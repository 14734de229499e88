// eccentric-rehab (rules.md): active Achilles tendinopathy (not rupture) with no physiotherapy or exercise
// therapy since onset → an info card to start eccentric loading, with a one-click physiotherapy referral.
#pragma once

#include <memory>

#include "cards/rule.h"

namespace cds::cards {

std::unique_ptr<Rule> CreateEccentricRehabRule(ConfigReader& settings, const CardsConfig& cards);

}  // namespace cds::cards
