// acute-injury (rules.md, codes.md after the clinical safety review): an acute Achilles tendon injury coded
// S86.00-/S86.01-/S86.09- (traumatic ruptures are coded here) in which rupture is not excluded → a warning to
// examine for rupture (Thompson test) and refer urgently, with an urgent orthopaedic referral.
#pragma once

#include <memory>

#include "cards/rule.h"

namespace cds::cards {

std::unique_ptr<Rule> CreateAcuteInjuryRule(ConfigReader& settings, const CardsConfig& cards);

}  // namespace cds::cards
