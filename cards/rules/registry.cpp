// The rule registry: every rule, the hooks rules.md lets it fire on, and its factory.
// Each service lists its own rules, in the order its cards appear (cards/services/).
#include "cards/rule.h"
#include "cards/rules/acute_injury.h"
#include "cards/rules/eccentric_rehab.h"
#include "cards/rules/escalation.h"
#include "cards/rules/fluoroquinolone.h"
#include "cards/rules/imaging.h"
#include "cards/rules/immobilisation.h"
#include "cards/rules/rupture_referral.h"
#include "cards/rules/steroid_injection.h"
#include "cards/rules/weight.h"

namespace cds::cards {

const std::vector<RuleSpec>& RuleSpecs() {
  static const std::vector<RuleSpec> kSpecs = {
      {RuleId::kSteroidInjection, {Hook::kOrderSelect, Hook::kOrderSign}, &CreateSteroidInjectionRule},
      {RuleId::kFluoroquinolone,
       {Hook::kPatientView, Hook::kOrderSelect, Hook::kOrderSign},
       &CreateFluoroquinoloneRule},
      {RuleId::kImmobilisation, {Hook::kOrderSelect, Hook::kOrderSign}, &CreateImmobilisationRule},
      {RuleId::kAcuteInjury, {Hook::kPatientView}, &CreateAcuteInjuryRule},
      {RuleId::kRuptureReferral, {Hook::kPatientView}, &CreateRuptureReferralRule},
      {RuleId::kEccentricRehab, {Hook::kPatientView, Hook::kOrderSelect, Hook::kOrderSign}, &CreateEccentricRehabRule},
      {RuleId::kEscalation, {Hook::kPatientView}, &CreateEscalationRule},
      {RuleId::kImaging, {Hook::kPatientView}, &CreateImagingRule},
      {RuleId::kWeight, {Hook::kPatientView}, &CreateWeightRule},
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
