// Zero-copy views of the FHIR R4 data types the rules read: Coding, CodeableConcept, Reference.
// Every string_view points into the parsed request and is valid while that request is alive.
//
//   CodeableConcept cc(json::Member(condition, "code"));
//   for (size_t i = 0; i < cc.coding_count(); ++i) Use(cc.coding(i).code);
#pragma once

#include <cstddef>
#include <string_view>

#include "fhir/json_node.h"

namespace cds::fhir {

struct Coding {
  std::string_view system;
  std::string_view code;
  std::string_view display;
};

class CodeableConcept {
 public:
  explicit CodeableConcept(const JsonNode* node = nullptr) : node_(node), codings_(json::Member(node, "coding")) {}

  bool present() const { return json::IsObject(node_); }
  std::string_view text() const { return json::StringAt(node_, "text"); }
  std::size_t coding_count() const { return json::Size(codings_); }
  Coding coding(std::size_t i) const;  // i < coding_count(); fields absent in the data read as ""
  // system and code only (display is read when it is needed): the hot path of code matching.
  void SystemAndCode(std::size_t i, std::string_view& system, std::string_view& code) const;
  // What a clinician would call it: text, else the first display, else the first code.
  std::string_view label() const;
  // The coding from `system`, or the first coding when none is from that system; empty if none.
  std::string_view code_in(std::string_view system) const;

 private:
  const JsonNode* node_;
  const JsonNode* codings_;  // the "coding" array, looked up once
};

class Reference {
 public:
  explicit Reference(const JsonNode* node = nullptr) : node_(node) {}
  std::string_view reference() const { return json::StringAt(node_, "reference"); }
  std::string_view display() const { return json::StringAt(node_, "display"); }

 private:
  const JsonNode* node_;
};

// Does `reference` name type/id? Accepts the relative form ("Patient/123"), an absolute URL ending in it
// ("https://ehr/fhir/Patient/123") and a versioned one ("Patient/123/_history/2").
bool ReferenceIs(std::string_view reference, std::string_view type, std::string_view id);

// The CodeableConcepts of an array element, e.g. Condition.bodySite.
class CodeableConceptList {
 public:
  explicit CodeableConceptList(const JsonNode* array = nullptr) : node_(array) {}
  std::size_t size() const { return json::Size(node_); }
  CodeableConcept operator[](std::size_t i) const { return CodeableConcept(json::At(node_, i)); }

 private:
  const JsonNode* node_;
};

}  // namespace cds::fhir
