// The guideline-adherence report a quality analyst reads (README, "Reports"): per service and rule, the
// cards issued, distinct patients, what the clinicians did with them (a card's outcome is its latest
// feedback item: accepted, overridden, or no response), the most frequent override reasons, the cards
// snoozed, and a weekly trend; feedback for cards this deployment never issued is counted apart. Built from
// the store with the schema's own queries; rendered as text, CSV, JSON or one self-contained HTML file
// (inline SVG charts, no script, nothing fetched).
//
//   Report r = BuildReport(store, "2026-09-01", "2026-11-30");   // dates inclusive, UTC
//   std::string html = RenderReport(r, labels, ReportFormat::kHtml);
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/calendar.h"
#include "audit/store.h"

namespace cds::audit {

struct Counts {
  long issued = 0;    // shown to a clinician
  long snoozed = 0;   // withheld: the clinician had already answered the same card
  long accepted = 0;  // of the issued cards, by their latest feedback item
  long overridden = 0;
  long no_response() const { return issued - accepted - overridden; }
  // accepted ÷ issued, or nullopt when nothing was issued.
  std::optional<double> acceptance_rate() const;
};

struct WeekCounts {
  std::string week;  // the Monday it starts, YYYY-MM-DD
  Counts counts;
};

struct RuleReport {
  std::string service, rule;
  Counts counts;
  long patients = 0;                                         // distinct patients shown the card
  std::vector<std::pair<std::string, long>> override_reasons;  // code ("" = none given), most frequent first
  std::vector<WeekCounts> weeks;                             // every week of the period, oldest first
};

struct Report {
  std::string from, to;  // YYYY-MM-DD, inclusive
  std::string generated_at;
  std::vector<RuleReport> rules;  // by service, then most cards first
  Counts total;
  long patients = 0;                           // distinct patients across every rule
  std::map<std::string, long> unknown_feedback;  // per service: items naming a card never issued here
};

// Rule titles and override-reason displays from the configuration (the codes are shown when absent).
struct ReportLabels {
  std::map<std::string, std::string> rule_titles;  // rule id → title
  // rule id → override-reason code → display (rules share codes with different words: per rule)
  std::map<std::string, std::map<std::string, std::string>> reasons;
  std::string Reason(const std::string& rule, const std::string& code) const;
};

enum class ReportFormat { kText, kCsv, kJson, kHtml };
std::optional<ReportFormat> ParseReportFormat(std::string_view name);

// `from`/`to`: YYYY-MM-DD (checked by ParseDay). Throws StoreError.
Report BuildReport(Store& store, const std::string& from, const std::string& to, const std::string& generated_at);
std::string RenderReport(const Report& report, const ReportLabels& labels, ReportFormat format);

}  // namespace cds::audit
