// Patient view: what the rules read (birth date for age thresholds).
#pragma once

#include "fhir/resource.h"

namespace cds::fhir {

class Patient : public Resource {
 public:
  using Resource::Resource;
  std::string_view birth_date() const { return json::StringAt(node_, "birthDate"); }
};

}  // namespace cds::fhir
