// Observation view: code, when, and a Quantity value (e.g. BMI).
#pragma once

#include <optional>

#include "fhir/resource.h"

namespace cds::fhir {

class Observation : public Resource {
 public:
  using Resource::Resource;
  CodeableConcept code() const { return CodeableConcept(json::Member(node_, "code")); }
  // effectiveDateTime, else effectivePeriod.start, else issued.
  std::string_view effective() const;
  std::optional<double> value_quantity() const {
    return json::Number(json::Member(json::Member(node_, "valueQuantity"), "value"));
  }
};

inline std::string_view Observation::effective() const {
  std::string_view v = FirstString("effectiveDateTime", "effectivePeriod", "start");
  return v.empty() ? json::StringAt(node_, "issued") : v;
}

}  // namespace cds::fhir
