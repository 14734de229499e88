// The data kinds and how each is prefetched.
#include "cards/record.h"

namespace cds::cards {

const std::array<DataSpec, kDataKindCount>& DataSpecs() {
  static const std::array<DataSpec, kDataKindCount> kSpecs = {{
      {DataKind::kPatient, "patient", "Patient/{{context.patientId}}", "Patient", true, "the patient's age"},
      {DataKind::kConditions, "conditions", "Condition?patient={{context.patientId}}", "Condition", false,
       "the problem list"},
      {DataKind::kMedications, "medications", "MedicationRequest?patient={{context.patientId}}&status=active",
       "MedicationRequest", false, "current medications"},
      {DataKind::kServiceRequests, "serviceRequests", "ServiceRequest?patient={{context.patientId}}", "ServiceRequest",
       false, "referrals and orders on record"},
      {DataKind::kProcedures, "procedures", "Procedure?patient={{context.patientId}}", "Procedure", false,
       "procedures on record"},
      {DataKind::kBmiObservations, "bmi",
       "Observation?patient={{context.patientId}}&code=http://loinc.org|39156-5&_sort=-date", "Observation", false,
       "BMI"},
  }};
  return kSpecs;
}

const DataSpec& SpecOf(DataKind kind) { return DataSpecs()[static_cast<std::size_t>(kind)]; }

}  // namespace cds::cards
