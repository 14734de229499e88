// Bundle view: the resources of a searchset or collection Bundle, in entry order.
//
//   Bundle b(node);
//   for (size_t i = 0; i < b.entry_count(); ++i) Resource r = b.entry(i);
#pragma once

#include "fhir/resource.h"

namespace cds::fhir {

class Bundle : public Resource {
 public:
  using Resource::Resource;
  std::string_view type() const { return json::StringAt(node_, "type"); }
  // False when "entry" is present but not an array (then entry_count() is 0).
  bool entries_well_formed() const {
    const JsonNode* e = json::Member(node_, "entry");
    return e == nullptr || json::IsArray(e);
  }
  std::size_t entry_count() const { return json::Size(json::Member(node_, "entry")); }
  // entry[i].resource (an absent view when the entry carries none).
  Resource entry(std::size_t i) const {
    return Resource(json::Member(json::At(json::Member(node_, "entry"), i), "resource"));
  }
};

}  // namespace cds::fhir
