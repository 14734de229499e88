// The report as one HTML file a quality analyst opens in a browser, or an EHR serves behind its login: no
// script, no font, no image, nothing fetched — inline CSS and SVG only. Every number a chart draws is also
// in the page as text (the table, each bar's label and tooltip), so it reads without the chart and prints.
#include <algorithm>
#include <cstdio>
#include <set>

#include "audit/html_page.h"
#include "audit/report.h"

namespace cds::audit {
namespace {

std::string Label(const std::map<std::string, std::string>& labels, const std::string& key) {
  auto it = labels.find(key);
  return it == labels.end() ? key : it->second;
}

constexpr char kStyle[] = R"(
:root { --accepted: #2166ac; --overridden: #e08214; --none: #bababa; --ink: #1f2933; --muted: #52606d; }
* { box-sizing: border-box; }
body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0;
       padding: 24px; max-width: 1100px; margin-inline: auto; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 2px solid #e4e7eb; padding-bottom: 4px; }
h2 small { font-weight: normal; color: var(--muted); font-size: 15px; }
.period { color: var(--muted); margin: 0 0 20px; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 8px; }
.tile { border: 1px solid #e4e7eb; border-radius: 8px; padding: 10px 14px; flex: 1 1 120px; }
.tile .n { display: block; font-size: 26px; font-weight: 600; }
.tile .l { color: var(--muted); font-size: 14px; }
table { border-collapse: collapse; width: 100%; font-size: 15px; }
th, td { padding: 6px 8px; border-bottom: 1px solid #e4e7eb; vertical-align: top; text-align: left; }
th { font-weight: 600; color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: .02em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td code { color: var(--muted); font-size: 12px; }
.rate { display: flex; align-items: center; gap: 6px; justify-content: flex-end; }
.rate .bar { width: 60px; height: 8px; background: #eef0f2; border-radius: 4px; overflow: hidden; }
.rate .bar span { display: block; height: 100%; background: var(--accepted); }
.reasons { font-size: 14px; }
.table-wrap { overflow-x: auto; }
.legend { display: flex; gap: 16px; font-size: 14px; color: var(--muted); margin: 12px 0 4px; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 12px 24px; }
figure { margin: 0; }
figcaption { font-weight: 600; font-size: 15px; margin: 8px 0 2px; }
svg { width: 100%; height: auto; display: block; }
svg .accepted { fill: var(--accepted); } svg .overridden { fill: var(--overridden); } svg .none { fill: var(--none); }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg text.total { fill: var(--ink); font-weight: 600; }
svg line { stroke: #e4e7eb; }
footer { margin-top: 32px; color: var(--muted); font-size: 14px; border-top: 1px solid #e4e7eb; padding-top: 8px; }
.note { background: #fff8e6; border: 1px solid #f0d58c; border-radius: 6px; padding: 8px 12px; margin: 12px 0; }
@media (max-width: 600px) { body { padding: 12px; } .charts { grid-template-columns: 1fr; } }
@media print { .charts { grid-template-columns: 1fr 1fr; } }
)";

// A stacked bar per week: accepted, overridden, no response (bottom to top), the week's issued count on top.
std::string TrendChart(const RuleReport& rule, const std::string& title) {
  const double width = 480, height = 190, left = 34, right = 8, top = 16, bottom = 34;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  long max = 0;
  for (const WeekCounts& w : rule.weeks) max = std::max(max, w.counts.issued);
  long scale = std::max<long>(max, 1);
  const std::size_t n = std::max<std::size_t>(rule.weeks.size(), 1);
  const double slot = plot_w / static_cast<double>(n);
  const double bar = std::min(slot * 0.7, 40.0);
  const std::size_t label_every = (n + 11) / 12;
  std::string svg = "<svg viewBox=\"0 0 " + Num(width) + " " + Num(height) +
                    "\" role=\"img\" aria-label=\"Weekly cards for " + HtmlEscape(title) + "\">";
  for (long tick : {0L, scale / 2, scale}) {
    if (tick == scale / 2 && (scale < 2 || scale % 2 != 0)) continue;
    const double y = top + plot_h - plot_h * static_cast<double>(tick) / static_cast<double>(scale);
    svg += "<line x1=\"" + Num(left) + "\" x2=\"" + Num(width - right) + "\" y1=\"" + Num(y) + "\" y2=\"" + Num(y) +
           "\"/><text x=\"" + Num(left - 4) + "\" y=\"" + Num(y + 4) + "\" text-anchor=\"end\">" +
           std::to_string(tick) + "</text>";
  }
  for (std::size_t i = 0; i < rule.weeks.size(); ++i) {
    const WeekCounts& w = rule.weeks[i];
    const Counts& c = w.counts;
    const double x = left + slot * static_cast<double>(i) + (slot - bar) / 2;
    svg += "<g class=\"week\" data-week=\"" + w.week + "\" data-issued=\"" + std::to_string(c.issued) +
           "\" data-accepted=\"" + std::to_string(c.accepted) + "\" data-overridden=\"" + std::to_string(c.overridden) +
           "\" data-no-response=\"" + std::to_string(c.no_response()) + "\" data-snoozed=\"" + std::to_string(c.snoozed) +
           "\"><title>Week of " + w.week + ": " + std::to_string(c.issued) + " issued, " + std::to_string(c.accepted) +
           " accepted, " + std::to_string(c.overridden) + " overridden, " + std::to_string(c.no_response()) +
           " no response, " + std::to_string(c.snoozed) + " snoozed</title>";
    double y = top + plot_h;
    for (const auto& [cls, v] : {std::pair<const char*, long>{"accepted", c.accepted},
                                 std::pair<const char*, long>{"overridden", c.overridden},
                                 std::pair<const char*, long>{"none", c.no_response()}}) {
      if (v <= 0) continue;
      const double h = plot_h * static_cast<double>(v) / static_cast<double>(scale);
      y -= h;
      svg += std::string("<rect class=\"") + cls + "\" data-count=\"" + std::to_string(v) + "\" x=\"" + Num(x) +
             "\" y=\"" + Num(y) + "\" width=\"" + Num(bar) + "\" height=\"" + Num(h) + "\"/>";
    }
    if (c.issued > 0) {
      svg += "<text class=\"total\" x=\"" + Num(x + bar / 2) + "\" y=\"" + Num(y - 3) + "\" text-anchor=\"middle\">" +
             std::to_string(c.issued) + "</text>";
    }
    if (i % label_every == 0) {
      svg += "<text x=\"" + Num(x + bar / 2) + "\" y=\"" + Num(height - bottom + 14) + "\" text-anchor=\"middle\">" +
             w.week.substr(5) + "</text>";
    }
    svg += "</g>";
  }
  svg += "<text x=\"" + Num(left) + "\" y=\"" + Num(height - 4) + "\">week starting (MM-DD)</text></svg>";
  return svg;
}

}  // namespace

void AppendHtmlEscaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  AppendHtmlEscaped(out, s);
  return out;
}

std::string HtmlPageStart(std::string_view title) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         // An empty inline icon: without it a browser asks the service for /favicon.ico.
         "<link rel=\"icon\" href=\"data:,\"><title>" +
         HtmlEscape(title) + "</title><style>" + kStyle + "</style></head><body>\n";
}

std::string Tile(std::string_view metric, std::string_view number, std::string_view label) {
  return "<div class=\"tile\" data-metric=\"" + HtmlEscape(metric) + "\"><span class=\"n\">" + HtmlEscape(number) +
         "</span><span class=\"l\">" + HtmlEscape(label) + "</span></div>";
}

std::string Percent(std::optional<double> rate) {
  if (!rate) return "–";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", *rate * 100);
  return buf;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string RenderHtml(const Report& r, const ReportLabels& labels) {
  const std::string period = r.from + " to " + r.to;
  std::string h = HtmlPageStart("Guideline adherence, " + period + " — Achilles CDS") +
                  "<header><h1>Guideline adherence: Achilles tendinopathy alerts</h1>"
                  "<p class=\"period\">Cards issued " + period + " (UTC) · generated " + HtmlEscape(r.generated_at) +
                  "</p></header>\n";
  const Counts& t = r.total;
  auto share = [&t](long v) { return t.issued > 0 ? " (" + Percent(static_cast<double>(v) / t.issued) + ")" : std::string(); };
  h += "<section class=\"tiles\">" + Tile("issued", std::to_string(t.issued), "cards issued") +
       Tile("patients", std::to_string(r.patients), "distinct patients") +
       Tile("accepted", std::to_string(t.accepted), "accepted" + share(t.accepted)) +
       Tile("overridden", std::to_string(t.overridden), "overridden" + share(t.overridden)) +
       Tile("no-response", std::to_string(t.no_response()), "no response" + share(t.no_response())) +
       Tile("snoozed", std::to_string(t.snoozed), "snoozed (withheld)") + "</section>\n";
  for (const auto& [service, n] : r.unknown_feedback) {
    h += "<p class=\"note\" data-unknown-feedback=\"" + HtmlEscape(service) + "\">" + std::to_string(n) +
         " feedback item(s) to " + HtmlEscape(service) +
         " name a card this deployment never issued (another deployment's card, or an EHR error). They are kept "
         "and not counted above.</p>\n";
  }
  if (r.rules.empty()) h += "<p>No cards were issued in this period.</p>\n";
  std::set<std::string> services;
  for (const RuleReport& rule : r.rules) services.insert(rule.service);
  for (const std::string& service : services) {
    h += "<section class=\"service\" data-service=\"" + HtmlEscape(service) + "\"><h2>" + HtmlEscape(service) + "</h2>";
    h += "<div class=\"table-wrap\"><table><thead><tr><th>Rule</th><th class=\"num\">Issued</th><th class=\"num\">"
         "Patients</th><th class=\"num\">Accepted</th><th class=\"num\">Overridden</th><th class=\"num\">No response"
         "</th><th class=\"num\">Acceptance</th><th class=\"num\">Snoozed</th><th>Most frequent override reasons</th>"
         "</tr></thead><tbody>";
    std::string charts;
    for (const RuleReport& rule : r.rules) {
      if (rule.service != service) continue;
      const Counts& c = rule.counts;
      const std::string title = Label(labels.rule_titles, rule.rule);
      const auto rate = c.acceptance_rate();
      std::string reasons;
      for (std::size_t i = 0; i < rule.override_reasons.size() && i < 3; ++i) {
        const auto& [code, count] = rule.override_reasons[i];
        reasons += (i ? "<br>" : "") + HtmlEscape(labels.Reason(rule.rule, code)) + " (" +
                   std::to_string(count) + ")";
      }
      auto cell = [](const char* col, long v) {
        return std::string("<td class=\"num\" data-col=\"") + col + "\">" + std::to_string(v) + "</td>";
      };
      h += "<tr data-rule=\"" + HtmlEscape(rule.rule) + "\"><td>" + HtmlEscape(title) + "<br><code>" + HtmlEscape(rule.rule) +
           "</code></td>" + cell("issued", c.issued) + cell("patients", rule.patients) + cell("accepted", c.accepted) +
           cell("overridden", c.overridden) + cell("no-response", c.no_response()) +
           "<td class=\"num\" data-col=\"acceptance\"><div class=\"rate\"><span class=\"bar\"><span style=\"width:" +
           Num(rate.value_or(0) * 100) + "%\"></span></span>" + Percent(rate) + "</div></td>" +
           cell("snoozed", c.snoozed) + "<td class=\"reasons\">" + (reasons.empty() ? "–" : reasons) + "</td></tr>";
      charts += "<figure class=\"trend\" data-rule=\"" + HtmlEscape(rule.rule) + "\"><figcaption>" + HtmlEscape(title) +
                "</figcaption>" + TrendChart(rule, title) + "</figure>";
    }
    h += "</tbody></table></div>";
    h += "<div class=\"legend\"><span><i style=\"background:var(--accepted)\"></i>accepted</span><span><i "
         "style=\"background:var(--overridden)\"></i>overridden</span><span><i style=\"background:var(--none)\"></i>"
         "no response</span><span>number on a bar: cards issued that week</span></div>";
    h += "<div class=\"charts\">" + charts + "</div></section>\n";
  }
  h += "<footer><p>A card's outcome is the latest feedback the EHR sent for it: <b>accepted</b> (a suggestion "
       "taken), <b>overridden</b> (dismissed, with the reason the clinician picked), or <b>no response</b>. "
       "Acceptance = accepted ÷ issued. <b>Snoozed</b> cards were withheld, not shown: the clinician had already "
       "answered the same card for the same patient within the rule's snooze period. Patients are counted by "
       "pseudonymous key; this report holds no identifier.</p></footer>\n</body></html>\n";
  return h;
}

}  // namespace cds::audit
