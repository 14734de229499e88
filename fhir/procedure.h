// Procedure view: what was done (code), where (bodySite), and when (performed).
#pragma once

#include "fhir/resource.h"

namespace cds::fhir {

class Procedure : public Resource {
 public:
  using Resource::Resource;
  CodeableConcept code() const { return CodeableConcept(json::Member(node_, "code")); }
  CodeableConceptList body_sites() const { return CodeableConceptList(json::Member(node_, "bodySite")); }
  // performedDateTime, else performedPeriod.start.
  std::string_view performed() const { return FirstString("performedDateTime", "performedPeriod", "start"); }
};

}  // namespace cds::fhir
