// Condition view: code, body site, clinical and verification status, onset.
//
//   Condition c(node);
//   if (c.clinical_status() == "active" && c.verification_status() != "refuted") ...
#pragma once

#include "fhir/resource.h"

namespace cds::fhir {

class Condition : public Resource {
 public:
  using Resource::Resource;
  CodeableConcept code() const { return CodeableConcept(json::Member(node_, "code")); }
  CodeableConceptList body_sites() const { return CodeableConceptList(json::Member(node_, "bodySite")); }
  // Codes from the R4 condition-clinical / condition-ver-status code systems ("" when absent).
  std::string_view clinical_status() const {
    return CodeableConcept(json::Member(node_, "clinicalStatus")).code_in(kClinicalSystem);
  }
  std::string_view verification_status() const {
    return CodeableConcept(json::Member(node_, "verificationStatus")).code_in(kVerificationSystem);
  }
  // Onset per rules.md: onsetDateTime, else onsetPeriod.start, else recordedDate ("" when none).
  std::string_view onset() const;

  static constexpr std::string_view kClinicalSystem = "http://terminology.hl7.org/CodeSystem/condition-clinical";
  static constexpr std::string_view kVerificationSystem = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
};

inline std::string_view Condition::onset() const {
  std::string_view v = FirstString("onsetDateTime", "onsetPeriod", "start");
  return v.empty() ? json::StringAt(node_, "recordedDate") : v;
}

}  // namespace cds::fhir
