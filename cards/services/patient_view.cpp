// achilles-patient-view: runs when a chart is opened; prompts guideline care for Achilles tendinopathy and rupture.
#include "cards/catalog.h"

namespace cds::cards {

const ServiceDefinition& PatientViewService() {
  static const ServiceDefinition kService{
      "achilles-patient-view",
      Hook::kPatientView,
      "Achilles tendinopathy care prompts",
      "When a chart is opened, prompts guideline care for Achilles tendinopathy and rupture: eccentric loading "
      "first, escalation when conservative care has failed, imaging for an unconfirmed diagnosis, weight, an "
      "orthopaedic referral for a rupture, and a warning about an active fluoroquinolone.",
      {
          {RuleId::kFluoroquinolone, {}},
          {RuleId::kRuptureReferral, {}},
          {RuleId::kImaging, {}},
          {RuleId::kEccentricRehab, {}},
          {RuleId::kEscalation, {}},
          {RuleId::kWeight, {}},
      }};
  return kService;
}

}  // namespace cds::cards
