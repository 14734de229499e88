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
  // abatementDateTime, else abatementPeriod.end ("" when none, or given only as an age or string).
  std::string_view abatement() const { return FirstString("abatementDateTime", "abatementPeriod", "end"); }
  // True when a category coding is `code` in the R4 condition-category system ("encounter-diagnosis",
  // "problem-list-item").
  bool has_category(std::string_view code) const {
    const CodeableConceptList categories(json::Member(node_, "category"));
    for (std::size_t i = 0; i < categories.size(); ++i) {
      const CodeableConcept c = categories[i];
      for (std::size_t k = 0; k < c.coding_count(); ++k) {
        const Coding coding = c.coding(k);
        if (coding.system == kCategorySystem && coding.code == code) return true;
      }
    }
    return false;
  }
  // Condition.encounter.reference ("" when absent).
  std::string_view encounter() const { return Reference(json::Member(node_, "encounter")).reference(); }

  static constexpr std::string_view kClinicalSystem = "http://terminology.hl7.org/CodeSystem/condition-clinical";
  static constexpr std::string_view kVerificationSystem = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
  static constexpr std::string_view kCategorySystem = "http://terminology.hl7.org/CodeSystem/condition-category";
};

inline std::string_view Condition::onset() const {
  std::string_view v = FirstString("onsetDateTime", "onsetPeriod", "start");
  return v.empty() ? json::StringAt(node_, "recordedDate") : v;
}

}  // namespace cds::fhir
