// Resource view helpers shared by every resource type.
#include "fhir/resource.h"

namespace cds::fhir {

std::string_view Resource::note(std::size_t i) const {
  return json::StringAt(json::At(json::Member(node_, "note"), i), "text");
}

const JsonNode* Resource::contained(std::string_view local_reference) const {
  if (local_reference.size() < 2 || local_reference[0] != '#') return nullptr;
  const std::string_view want = local_reference.substr(1);
  const JsonNode* list = json::Member(node_, "contained");
  for (std::size_t i = 0, n = json::Size(list); i < n; ++i) {
    if (json::StringAt(json::At(list, i), "id") == want) return json::At(list, i);
  }
  return nullptr;
}

std::string_view Resource::FirstString(std::string_view a, std::string_view b, std::string_view b_child) const {
  std::string_view v = json::StringAt(node_, a);
  if (!v.empty()) return v;
  return json::StringAt(json::Member(node_, b), b_child);
}

}  // namespace cds::fhir
