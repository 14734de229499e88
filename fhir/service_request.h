// ServiceRequest view: what is requested (code), where (bodySite), and when.
#pragma once

#include "fhir/resource.h"

namespace cds::fhir {

class ServiceRequest : public Resource {
 public:
  using Resource::Resource;
  std::string_view intent() const { return json::StringAt(node_, "intent"); }
  CodeableConcept code() const { return CodeableConcept(json::Member(node_, "code")); }
  CodeableConceptList body_sites() const { return CodeableConceptList(json::Member(node_, "bodySite")); }
  std::string_view patient_instruction() const { return json::StringAt(node_, "patientInstruction"); }
  // When it was asked for: authoredOn, else occurrenceDateTime, else occurrencePeriod.start.
  std::string_view requested_on() const;
};

inline std::string_view ServiceRequest::requested_on() const {
  std::string_view v = json::StringAt(node_, "authoredOn");
  return v.empty() ? FirstString("occurrenceDateTime", "occurrencePeriod", "start") : v;
}

}  // namespace cds::fhir
