// rupture-referral (rules.md): see rules/rupture_referral.cpp and docs/clinical-rules.md.
#pragma once

#include <memory>

#include "cards/rule.h"

namespace cds::cards {

std::unique_ptr<Rule> CreateRuptureReferralRule(ConfigReader& settings, const CardsConfig& cards);

}  // namespace cds::cards
