// achilles-patient-view: runs when a chart is opened; prompts guideline care for Achilles tendinopathy.
#include "cards/catalog.h"

namespace cds::cards {

const ServiceDefinition& PatientViewService() {
  static const ServiceDefinition kService{
      "achilles-patient-view",
      Hook::kPatientView,
      "Achilles tendinopathy care prompts",
      "When a chart is opened, prompts guideline care for Achilles tendinopathy: start eccentric loading "
      "physiotherapy when none is on record.",
      {
          {RuleId::kEccentricRehab, {}},
      }};
  return kService;
}

}  // namespace cds::cards
