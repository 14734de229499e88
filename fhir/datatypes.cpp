// Data type views: tolerant reads of CodeableConcept and Coding.
#include "fhir/datatypes.h"

namespace cds::fhir {

Coding CodeableConcept::coding(std::size_t i) const {
  const JsonNode* c = json::At(json::Member(node_, "coding"), i);
  return Coding{json::StringAt(c, "system"), json::StringAt(c, "code"), json::StringAt(c, "display")};
}

std::string_view CodeableConcept::label() const {
  if (!text().empty()) return text();
  const std::size_t n = coding_count();
  for (std::size_t i = 0; i < n; ++i) {
    if (!coding(i).display.empty()) return coding(i).display;
  }
  return n > 0 ? coding(0).code : std::string_view{};
}

std::string_view CodeableConcept::code_in(std::string_view system) const {
  const std::size_t n = coding_count();
  for (std::size_t i = 0; i < n; ++i) {
    if (coding(i).system == system) return coding(i).code;
  }
  return n > 0 ? coding(0).code : std::string_view{};
}

}  // namespace cds::fhir
