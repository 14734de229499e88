// The rule registry: every rule, the hooks rules.md lets it fire on, and its factory.
// Order here is the order of cards in a response.
#include "cards/rule.h"
#include "cards/rules/eccentric_rehab.h"
#include "cards/rules/steroid_injection.h"

namespace cds::cards {

const std::vector<RuleSpec>& RuleSpecs() {
  static const std::vector<RuleSpec> kSpecs = {
      {RuleId::kSteroidInjection, {Hook::kOrderSelect, Hook::kOrderSign}, &CreateSteroidInjectionRule},
      {RuleId::kEccentricRehab, {Hook::kPatientView, Hook::kOrderSelect, Hook::kOrderSign}, &CreateEccentricRehabRule},
  };
  return kSpecs;
}

const RuleSpec& SpecFor(RuleId id) {
  for (const RuleSpec& s : RuleSpecs()) {
    if (s.id == id) return s;
  }
  return RuleSpecs().front();  // unreachable: every RuleId is registered (checked by tests)
}

}  // namespace cds::cards
