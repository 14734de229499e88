// achilles-patient-view: runs when a chart is opened; prompts guideline care for Achilles tendinopathy and rupture.
#include "cards/catalog.h"

namespace cds::cards {

const ServiceDefinition& PatientViewService() {
  static const ServiceDefinition kService{
      "achilles-patient-view",
      Hook::kPatientView,
      "Achilles tendinopathy care prompts",
      "When a chart is opened, prompts guideline care for Achilles tendinopathy, injury and rupture: a loading "
      "programme first, a review when it is still active after weeks of physiotherapy, imaging for an unconfirmed "
      "diagnosis, weight, an urgent orthopaedic assessment for an acute injury or a rupture, and a warning about "
      "an active fluoroquinolone.",
      {
          {RuleId::kFluoroquinolone, {}},
          {RuleId::kAcuteInjury, {}},
          {RuleId::kRuptureReferral, {}},
          {RuleId::kImaging, {}},
          {RuleId::kEccentricRehab, {}},
          {RuleId::kEscalation, {}},
          {RuleId::kWeight, {}},
      }};
  return kService;
}

}  // namespace cds::cards
