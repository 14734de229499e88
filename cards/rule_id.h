// Stable rule identifiers from ../shared/clinical/rules.md. The string form is the card's source.topic.code,
// the config file name (config/rules/<id>.json) and the audit key, so it never changes once shipped.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cds::cards {

enum class RuleId {
  kSteroidInjection,
  kFluoroquinolone,
  kImmobilisation,
  kAcuteInjury,
  kRuptureReferral,
  kEccentricRehab,
  kEscalation,
  kImaging,
  kWeight,
};

inline constexpr RuleId kAllRules[] = {RuleId::kSteroidInjection, RuleId::kFluoroquinolone, RuleId::kImmobilisation,
                                       RuleId::kAcuteInjury,      RuleId::kRuptureReferral, RuleId::kEccentricRehab,
                                       RuleId::kEscalation,       RuleId::kImaging,         RuleId::kWeight};

std::string_view RuleIdName(RuleId id);
// The rule id as source.topic.code: letters and digits only ("steroidInjection"), which every EHR accepts
// (Epic: alphanumeric, at most 100 characters). Stable, like the rule id it is derived from.
std::string TopicCode(RuleId id);
std::optional<RuleId> ParseRuleId(std::string_view name);

}  // namespace cds::cards
