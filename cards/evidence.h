// Evidence: which resource, which element, which coding or text, which value set made a fact true.
// Views point into the request; a rule renders evidence into the card's detail so the clinician sees why.
//
//   Evidence e = ...;                    // from BuildFacts
//   std::string why = Describe(e);       // RxNorm 1514 "betamethasone" in MedicationRequest/7 (value set …)
#pragma once

#include <string>
#include <string_view>

#include "fhir/value_set.h"

namespace cds::cards {

struct Evidence {
  std::string_view resource_type;
  std::string_view resource_id;
  std::string_view element;  // FHIR path of the matched element, e.g. "medicationCodeableConcept"
  // Matched by code:
  std::string_view system;
  std::string_view code;
  std::string_view display;
  // Matched by name (term non-empty):
  std::string_view text;
  std::string_view term;
  const fhir::ValueSet* value_set = nullptr;

  bool by_name() const { return !term.empty(); }
};

// "SNOMED CT 61352006 \"Structure of Achilles tendon\"" or "text \"Kenalog-40 injection\" (matched \"kenalog\")",
// followed by " in <element> — value set <title>". Markdown-safe (no unescaped '*', '_', '`' from the data).
void AppendDescription(std::string& out, const Evidence& e);
std::string Describe(const Evidence& e);

// "MedicationRequest/abc"
std::string Reference(std::string_view type, std::string_view id);

// The text with markdown control characters escaped, so EHR data cannot restyle a card.
void AppendEscapedMarkdown(std::string& out, std::string_view text);

}  // namespace cds::cards
