// DeviceRequest view: the device ordered (codeCodeableConcept), e.g. a walking boot or a heel lift.
#pragma once

#include "fhir/resource.h"

namespace cds::fhir {

class DeviceRequest : public Resource {
 public:
  using Resource::Resource;
  CodeableConcept code() const { return CodeableConcept(json::Member(node_, "codeCodeableConcept")); }
  // authoredOn, else occurrenceDateTime, else occurrencePeriod.start.
  std::string_view authored_on() const {
    const std::string_view v = json::StringAt(node_, "authoredOn");
    return v.empty() ? FirstString("occurrenceDateTime", "occurrencePeriod", "start") : v;
  }
};

}  // namespace cds::fhir
