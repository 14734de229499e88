// Rendering evidence and card text helpers.
#include "cards/evidence.h"

namespace cds::cards {

std::string_view SystemName(std::string_view uri) {
  struct Known {
    std::string_view uri, name;
  };
  static constexpr Known kKnown[] = {
      {"http://snomed.info/sct", "SNOMED CT"},
      {"http://hl7.org/fhir/sid/icd-10-cm", "ICD-10-CM"},
      {"http://hl7.org/fhir/sid/icd-10", "ICD-10"},
      {"http://hl7.org/fhir/sid/icd-9-cm", "ICD-9-CM"},
      {"http://www.nlm.nih.gov/research/umls/rxnorm", "RxNorm"},
      {"http://www.ama-assn.org/go/cpt", "CPT"},
      {"https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "HCPCS"},
      {"http://loinc.org", "LOINC"},
      {"http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration", "HL7 v3 route"},
  };
  for (const Known& k : kKnown) {
    if (k.uri == uri) return k.name;
  }
  return uri;
}

void AppendEscapedMarkdown(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '#':
      case '|':
        out += '\\';
        out += c;
        break;
      case '\n':
      case '\r': out += ' '; break;
      default: out += c;
    }
  }
}

std::string Reference(std::string_view type, std::string_view id) {
  std::string r;
  r.reserve(type.size() + 1 + id.size());
  r.append(type).append("/").append(id);
  return r;
}

void AppendDescription(std::string& out, const Evidence& e) {
  if (e.by_name()) {
    out.append("text \"");
    AppendEscapedMarkdown(out, e.text);
    out.append("\" (matched \"");
    AppendEscapedMarkdown(out, e.term);
    out.append("\")");
  } else {
    out.append(SystemName(e.system)).append(" ");
    AppendEscapedMarkdown(out, e.code);
    if (!e.display.empty()) {
      out.append(" \"");
      AppendEscapedMarkdown(out, e.display);
      out.append("\"");
    }
  }
  if (!e.element.empty()) out.append(" in ").append(e.element);
  if (e.value_set != nullptr) {
    out.append(" — value set ");
    AppendEscapedMarkdown(out, e.value_set->title());
  }
}

std::string Describe(const Evidence& e) {
  std::string out;
  AppendDescription(out, e);
  return out;
}

}  // namespace cds::cards
