// Base of the zero-copy FHIR R4 resource views: resourceType, id, status, notes, contained resources.
// A view never copies and never throws; an element absent or of the wrong JSON type reads as empty.
//
//   Resource r(node);
//   if (r.resource_type() == "MedicationRequest") MedicationRequest mr(node);
#pragma once

#include <cstddef>
#include <string_view>

#include "fhir/datatypes.h"
#include "fhir/json_node.h"

namespace cds::fhir {

class Resource {
 public:
  Resource() = default;
  explicit Resource(const JsonNode* node) : node_(node) {}

  bool present() const { return json::IsObject(node_); }
  std::string_view resource_type() const { return json::StringAt(node_, "resourceType"); }
  std::string_view id() const { return json::StringAt(node_, "id"); }
  std::string_view status() const { return json::StringAt(node_, "status"); }
  std::size_t note_count() const { return json::Size(json::Member(node_, "note")); }
  std::string_view note(std::size_t i) const;  // Annotation.text of note[i]
  // Whose record this is: subject.reference, else patient.reference ("" when neither is given).
  std::string_view subject_reference() const {
    std::string_view r = json::StringAt(json::Member(node_, "subject"), "reference");
    return r.empty() ? json::StringAt(json::Member(node_, "patient"), "reference") : r;
  }
  // reasonCode[] and reasonReference[] of a request or procedure (empty lists for other types).
  CodeableConceptList reason_codes() const { return CodeableConceptList(json::Member(node_, "reasonCode")); }
  std::size_t reason_reference_count() const { return json::Size(json::Member(node_, "reasonReference")); }
  std::string_view reason_reference(std::size_t i) const {
    return json::StringAt(json::At(json::Member(node_, "reasonReference"), i), "reference");
  }
  // The contained resource a local reference ("#med1") points at, or nullptr.
  const JsonNode* contained(std::string_view local_reference) const;
  const JsonNode* node() const { return node_; }

 protected:
  // The first present of: member `a`, else member `b`.`b_child` (e.g. onsetDateTime / onsetPeriod.start).
  std::string_view FirstString(std::string_view a, std::string_view b, std::string_view b_child) const;

  const JsonNode* node_ = nullptr;
};

}  // namespace cds::fhir
