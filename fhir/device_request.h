// DeviceRequest view: the device ordered (codeCodeableConcept), e.g. a walking boot or a heel lift.
#pragma once

#include "fhir/resource.h"

namespace cds::fhir {

class DeviceRequest : public Resource {
 public:
  using Resource::Resource;
  CodeableConcept code() const { return CodeableConcept(json::Member(node_, "codeCodeableConcept")); }
};

}  // namespace cds::fhir
