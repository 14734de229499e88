// What the EHR sent about the patient, as zero-copy FHIR views: the input of BuildFacts.
// Which data a rule reads is declared as DataKinds, split into what it cannot run without and what it can;
// a service's prefetch templates are derived from the kinds its rules read, so discovery can never ask for
// more (or less) than the rules read. A kind that could not be had is marked unavailable (CDS Hooks: an
// absent prefetch key, or an OperationOutcome in its place): rules that require it are skipped, rules that
// only use it say in their card what they could not check.
//
//   Record r;
//   r.hook = Hook::kOrderSign;
//   r.of(DataKind::kConditions).push_back(fhir::Resource(node));
//   r.unavailable |= Need(DataKind::kBmiObservations);
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "cards/hook.h"
#include "fhir/date.h"
#include "fhir/resource.h"

namespace cds::cards {

enum class DataKind : uint8_t { kPatient, kConditions, kMedications, kServiceRequests, kProcedures, kBmiObservations };
inline constexpr std::size_t kDataKindCount = 6;

using DataNeeds = uint32_t;  // bit set of DataKind
constexpr DataNeeds Need(DataKind k) { return DataNeeds{1} << static_cast<unsigned>(k); }
constexpr bool Needs(DataNeeds set, DataKind k) { return (set & Need(k)) != 0; }

// What a rule reads on a hook: `required` it cannot run without; `optional` it runs without, saying so.
struct DataUse {
  DataNeeds required = 0;
  DataNeeds optional = 0;
  DataNeeds all() const { return required | optional; }
};

// How a kind of data is asked for: the prefetch key, its FHIR query template (CDS Hooks §prefetch
// tokens), the resource type expected in the answer, and what a clinician would call it when it is missing.
struct DataSpec {
  DataKind kind;
  std::string_view prefetch_key;
  std::string_view query_template;
  std::string_view resource_type;
  bool single_resource;    // a read (Patient/{id}), not a search Bundle
  std::string_view words;  // "referrals and orders on record"
};
const std::array<DataSpec, kDataKindCount>& DataSpecs();
const DataSpec& SpecOf(DataKind kind);

struct Record {
  Hook hook = Hook::kPatientView;
  fhir::Date today;
  std::string_view patient_id;
  std::string_view user_id;       // "Practitioner/123"
  std::string_view encounter_id;  // may be empty
  // Record data by kind (the Patient, when present, is the single element of kPatient).
  std::array<std::vector<fhir::Resource>, kDataKindCount> data;
  DataNeeds unavailable = 0;                 // kinds the EHR did not (or could not) send
  std::vector<fhir::Resource> draft_orders;  // context.draftOrders (order hooks)
  // The population audit: draft_orders holds every order on record that happened (any status but
  // entered-in-error, cancelled, revoked, not-done and draft), each dated; their care comes from `data`.
  bool every_order = false;
  std::vector<std::string_view> selections;  // context.selections (order-select): "Type/id"

  std::vector<fhir::Resource>& of(DataKind k) { return data[static_cast<std::size_t>(k)]; }
  const std::vector<fhir::Resource>& of(DataKind k) const { return data[static_cast<std::size_t>(k)]; }
};

}  // namespace cds::cards
