// Data type views: tolerant reads of CodeableConcept and Coding.
#include "fhir/datatypes.h"

namespace cds::fhir {

Coding CodeableConcept::coding(std::size_t i) const {
  const JsonNode* c = json::At(codings_, i);
  return Coding{json::StringAt(c, "system"), json::StringAt(c, "code"), json::StringAt(c, "display")};
}

void CodeableConcept::SystemAndCode(std::size_t i, std::string_view& system, std::string_view& code) const {
  const JsonNode* c = json::At(codings_, i);
  system = json::StringAt(c, "system");
  code = json::StringAt(c, "code");
}

std::string_view CodeableConcept::label() const {
  const std::string_view t = text();
  if (!t.empty()) return t;
  const std::size_t n = coding_count();
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view display = json::StringAt(json::At(codings_, i), "display");
    if (!display.empty()) return display;
  }
  return n > 0 ? json::StringAt(json::At(codings_, 0), "code") : std::string_view{};
}

std::string_view CodeableConcept::code_in(std::string_view system) const {
  const std::size_t n = coding_count();
  std::string_view s, c;
  for (std::size_t i = 0; i < n; ++i) {
    SystemAndCode(i, s, c);
    if (s == system) return c;
  }
  return n > 0 ? json::StringAt(json::At(codings_, 0), "code") : std::string_view{};
}

namespace {

// Does `reference` end in "<type>/<id>", at its start or after a '/'?
bool EndsWithTypeAndId(std::string_view reference, std::string_view type, std::string_view id) {
  const std::size_t want = type.size() + 1 + id.size();
  if (reference.size() < want) return false;
  const std::size_t at = reference.size() - want;
  return (at == 0 || reference[at - 1] == '/') && reference.compare(at, type.size(), type) == 0 &&
         reference[at + type.size()] == '/' && reference.compare(at + type.size() + 1, id.size(), id) == 0;
}

}  // namespace

bool ReferenceIs(std::string_view reference, std::string_view type, std::string_view id) {
  if (EndsWithTypeAndId(reference, type, id)) return true;  // the common forms, without a search
  const std::size_t history = reference.find("/_history/");
  return history != std::string_view::npos && EndsWithTypeAndId(reference.substr(0, history), type, id);
}

}  // namespace cds::fhir
