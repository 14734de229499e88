// Rendering evidence and card text helpers.
#include "cards/evidence.h"

#include "fhir/code_system.h"

namespace cds::cards {

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
    out.append(fhir::SystemName(e.system)).append(" ");
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
