// MedicationRequest view: the medication (inline or a contained Medication), dosage route, site and text.
//
//   MedicationRequest mr(node);
//   CodeableConcept med = mr.medication();
//   for (size_t i = 0; i < mr.dosage_count(); ++i) Use(mr.dosage(i).route());
#pragma once

#include "fhir/resource.h"

namespace cds::fhir {

class Dosage {
 public:
  explicit Dosage(const JsonNode* node = nullptr) : node_(node) {}
  std::string_view text() const { return json::StringAt(node_, "text"); }
  std::string_view patient_instruction() const { return json::StringAt(node_, "patientInstruction"); }
  CodeableConcept route() const { return CodeableConcept(json::Member(node_, "route")); }
  CodeableConcept site() const { return CodeableConcept(json::Member(node_, "site")); }
  CodeableConcept method() const { return CodeableConcept(json::Member(node_, "method")); }

 private:
  const JsonNode* node_;
};

class MedicationRequest : public Resource {
 public:
  using Resource::Resource;
  std::string_view intent() const { return json::StringAt(node_, "intent"); }
  std::string_view authored_on() const { return json::StringAt(node_, "authoredOn"); }
  // medicationCodeableConcept; else the code of the contained Medication a "#id" medicationReference names.
  CodeableConcept medication() const;
  // medicationReference.display: some EHRs name the drug only there.
  std::string_view medication_reference_display() const {
    return Reference(json::Member(node_, "medicationReference")).display();
  }
  std::size_t dosage_count() const { return json::Size(json::Member(node_, "dosageInstruction")); }
  Dosage dosage(std::size_t i) const { return Dosage(json::At(json::Member(node_, "dosageInstruction"), i)); }
};

inline CodeableConcept MedicationRequest::medication() const {
  const JsonNode* cc = json::Member(node_, "medicationCodeableConcept");
  if (cc != nullptr) return CodeableConcept(cc);
  const JsonNode* med = contained(Reference(json::Member(node_, "medicationReference")).reference());
  return CodeableConcept(json::Member(med, "code"));
}

}  // namespace cds::fhir
