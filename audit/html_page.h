// The look every report shares (the card-log adherence report, the population audit): one HTML file with
// inline CSS and SVG only — no script, no font, no image, nothing fetched.
//
//   std::string h = HtmlPageStart("Guideline adherence, 2026-01-01 to 2026-03-31");
//   h += Tile("cohort", "412", "patients in the cohort") + ... + "</body></html>\n";
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cds::audit {

// The text with & < > " ' as character references, appended to `out`, or returned.
void AppendHtmlEscaped(std::string& out, std::string_view s);
std::string HtmlEscape(std::string_view s);
// "<!doctype html>…<style>…</style></head><body>\n", titled `title` (escaped here).
std::string HtmlPageStart(std::string_view title);
// A figure tile: a large number and its label (both escaped); `metric` names it for tests (data-metric).
std::string Tile(std::string_view metric, std::string_view number, std::string_view label);
std::string Percent(std::optional<double> rate);  // "42%", "–" when there is no rate
std::string Num(double v);                        // one decimal, for SVG coordinates

}  // namespace cds::audit
