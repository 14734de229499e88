// The data kinds and how each is prefetched.
#include "cards/record.h"

namespace cds::cards {

const std::array<DataSpec, kDataKindCount>& DataSpecs() {
  static const std::array<DataSpec, kDataKindCount> kSpecs = {{
      {DataKind::kPatient, "patient", "Patient/{{context.patientId}}", "Patient", true},
      {DataKind::kConditions, "conditions", "Condition?patient={{context.patientId}}", "Condition", false},
      {DataKind::kMedications, "medications", "MedicationRequest?patient={{context.patientId}}&status=active",
       "MedicationRequest", false},
      {DataKind::kServiceRequests, "serviceRequests", "ServiceRequest?patient={{context.patientId}}", "ServiceRequest",
       false},
      {DataKind::kProcedures, "procedures", "Procedure?patient={{context.patientId}}", "Procedure", false},
      {DataKind::kBmiObservations, "bmi",
       "Observation?patient={{context.patientId}}&code=http://loinc.org|39156-5&_sort=-date", "Observation", false},
  }};
  return kSpecs;
}

}  // namespace cds::cards
