// String forms of the closed sets: Hook, RuleId, Indicator.
#include "cards/card.h"
#include "cards/hook.h"
#include "cards/rule_id.h"

namespace cds::cards {

std::string_view HookName(Hook hook) {
  switch (hook) {
    case Hook::kPatientView: return "patient-view";
    case Hook::kOrderSelect: return "order-select";
    case Hook::kOrderSign: return "order-sign";
  }
  return "";
}

std::optional<Hook> ParseHook(std::string_view name) {
  for (Hook h : {Hook::kPatientView, Hook::kOrderSelect, Hook::kOrderSign}) {
    if (HookName(h) == name) return h;
  }
  return std::nullopt;
}

std::string_view RuleIdName(RuleId id) {
  switch (id) {
    case RuleId::kSteroidInjection: return "steroid-injection";
    case RuleId::kFluoroquinolone: return "fluoroquinolone";
    case RuleId::kImmobilisation: return "immobilisation";
    case RuleId::kAcuteInjury: return "acute-injury";
    case RuleId::kRuptureReferral: return "rupture-referral";
    case RuleId::kEccentricRehab: return "eccentric-rehab";
    case RuleId::kEscalation: return "escalation";
    case RuleId::kImaging: return "imaging";
    case RuleId::kWeight: return "weight";
  }
  return "";
}

std::string TopicCode(RuleId id) {
  std::string code;
  bool upper = false;
  for (char c : RuleIdName(id)) {
    if (c == '-') {
      upper = true;
      continue;
    }
    code += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return code;
}

std::optional<RuleId> ParseRuleId(std::string_view name) {
  for (RuleId id : kAllRules) {
    if (RuleIdName(id) == name) return id;
  }
  return std::nullopt;
}

std::string_view IndicatorName(Indicator i) {
  switch (i) {
    case Indicator::kInfo: return "info";
    case Indicator::kWarning: return "warning";
    case Indicator::kCritical: return "critical";
  }
  return "";
}

std::optional<Indicator> ParseIndicator(std::string_view name) {
  for (Indicator i : {Indicator::kInfo, Indicator::kWarning, Indicator::kCritical}) {
    if (IndicatorName(i) == name) return i;
  }
  return std::nullopt;
}

}  // namespace cds::cards
