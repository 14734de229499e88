// The rule page: a small Markdown subset (headings, paragraphs, one or two levels of bullets, **bold**,
// `code`) turned into escaped HTML. Nothing from a request reaches this page.
#include "hooks/rule_page.h"

#include <vector>

#include "audit/html_page.h"
#include "cards/card_settings.h"

namespace cds::hooks {
namespace {

// A card text as configured, its slots shown as "[drug]": {side} and {Side} fill with a trailing space
// ("left ") or nothing, so their placeholder gets the space the filled text would have.
void Template(std::string& out, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('{', pos);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) break;
    audit::AppendHtmlEscaped(out, text.substr(pos, open - pos));
    const std::string_view slot = text.substr(open + 1, close - open - 1);
    out += "<em>[";
    audit::AppendHtmlEscaped(out, slot);
    out += "]</em>";
    if ((slot == "side" || slot == "Side") && close + 1 < text.size() && text[close + 1] != ' ') out += ' ';
    pos = close + 1;
  }
  if (pos < text.size()) audit::AppendHtmlEscaped(out, text.substr(pos));
}

// **bold** and `code`, the rest escaped.
void Inline(std::string& out, std::string_view text) {
  bool bold = false, code = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!code && text.compare(i, 2, "**") == 0) {
      out += bold ? "</strong>" : "<strong>";
      bold = !bold;
      ++i;
    } else if (text[i] == '`') {
      out += code ? "</code>" : "<code>";
      code = !code;
    } else {
      audit::AppendHtmlEscaped(out, text.substr(i, 1));
    }
  }
  if (code) out += "</code>";
  if (bold) out += "</strong>";
}

// The section of the document whose heading is "## `<id>` — …", as lines (heading excluded).
std::vector<std::string_view> Section(std::string_view doc, std::string_view id, std::string_view& heading) {
  std::vector<std::string_view> lines;
  bool in = false;
  const std::string marker = "## `" + std::string(id) + "`";
  std::size_t pos = 0;
  while (pos <= doc.size()) {
    std::size_t end = doc.find('\n', pos);
    if (end == std::string_view::npos) end = doc.size();
    const std::string_view line = doc.substr(pos, end - pos);
    if (line.rfind("## ", 0) == 0) {
      if (in) break;
      if (line.rfind(marker, 0) == 0) {
        in = true;
        heading = line.substr(3);
      }
    } else if (in) {
      lines.push_back(line);
    }
    pos = end + 1;
  }
  return lines;
}

void Render(std::string& out, const std::vector<std::string_view>& lines) {
  int depth = 0;  // open <ul> levels
  bool paragraph = false;
  auto close_lists = [&](int to) {
    while (depth > to) {
      out += "</li></ul>\n";
      --depth;
    }
  };
  for (std::string_view line : lines) {
    std::size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    const std::string_view rest = line.substr(indent);
    if (rest.empty()) {
      if (paragraph) out += "</p>\n";
      paragraph = false;
      close_lists(0);
      continue;
    }
    if (rest.rfind("- ", 0) == 0) {
      if (paragraph) out += "</p>\n";
      paragraph = false;
      const int level = indent >= 2 ? 2 : 1;
      if (level > depth) {
        while (depth < level) {
          out += "<ul><li>";
          ++depth;
        }
      } else {
        close_lists(level);
        out += "</li><li>";
      }
      Inline(out, rest.substr(2));
      continue;
    }
    if (depth > 0) {  // a continuation line of a list item
      out += ' ';
      Inline(out, rest);
      continue;
    }
    if (!paragraph) out += "<p>";
    else out += ' ';
    paragraph = true;
    Inline(out, rest);
  }
  if (paragraph) out += "</p>\n";
  close_lists(0);
}

}  // namespace

std::optional<std::string> RulePage(const cards::Engine& engine, std::string_view rule_id) {
  const std::optional<cards::RuleId> id = cards::ParseRuleId(rule_id);
  if (!id) return std::nullopt;
  std::string_view heading;
  const std::vector<std::string_view> lines = Section(ClinicalRulesDocument(), rule_id, heading);
  const cards::CardSettings* settings = engine.Settings(*id);
  std::string out;
  out.reserve(8192);
  out += "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         // An empty inline icon: without it a browser asks the service for /favicon.ico.
         "<link rel=\"icon\" href=\"data:,\"><title>";
  audit::AppendHtmlEscaped(out, settings != nullptr ? std::string_view(settings->title) : rule_id);
  out += " — achilles-cds</title><style>"
         "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d2733}"
         "h1{font-size:1.5rem;margin-bottom:.2rem}.id{color:#5b6776;font-size:.9rem}"
         "h2{font-size:1.1rem;margin-top:2rem;border-top:1px solid #d8dee6;padding-top:1rem}"
         "code{background:#eef1f5;padding:0 .2rem;border-radius:3px}"
         ".card{border-left:4px solid #2f6fb3;background:#f5f8fc;padding:.6rem 1rem;margin:1rem 0}"
         "li{margin:.2rem 0}</style></head><body>\n<h1>";
  audit::AppendHtmlEscaped(out, settings != nullptr ? std::string_view(settings->title) : rule_id);
  out += "</h1>\n<div class=\"id\">Rule <code>";
  audit::AppendHtmlEscaped(out, rule_id);
  out += "</code> of achilles-cds, a CDS Hooks service for Achilles tendinopathy, injury and rupture.</div>\n";
  if (!heading.empty()) {
    out += "<h2>What it does</h2>\n";
    Render(out, lines);
  }
  if (settings != nullptr) {
    out += "<h2>What the clinician sees here</h2>\n<div class=\"card\"><p><strong>";
    Template(out, settings->summary);
    out += "</strong></p><p>";
    Template(out, settings->action);
    out += "</p>";
    if (!settings->points.empty()) {
      out += "<ul>";
      for (const std::string& p : settings->points) {
        out += "<li>";
        Template(out, p);
        out += "</li>";
      }
      out += "</ul>";
    }
    out += "</div>\n<p>Words in brackets are filled from the record: the drug or device, the side (when the record says which), the weeks.</p>\n";
    if (!settings->links.empty()) {
      out += "<h2>Evidence</h2>\n<ul>";
      for (const cards::Link& l : settings->links) {
        out += "<li><a href=\"";
        audit::AppendHtmlEscaped(out, l.url);
        out += "\">";
        audit::AppendHtmlEscaped(out, l.label);
        out += "</a></li>";
      }
      out += "</ul>\n";
    }
  }
  out += "</body></html>\n";
  return out;
}

}  // namespace cds::hooks
