// Building the report: the store gives one row per card (with its latest feedback), counted here — weeks,
// distinct patients and reasons need no more SQL than both databases share — and rendered as text, CSV or
// JSON (report_html.cpp renders the HTML).
#include "audit/report.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "audit/schema.h"

namespace cds::audit {

std::string RenderHtml(const Report& report, const ReportLabels& labels);  // report_html.cpp

namespace {

long MondayOf(long day) { return day - (day + 3) % 7; }  // 1970-01-01 was a Thursday

struct RuleTally {
  RuleReport report;
  std::set<std::string> patients;
  std::map<std::string, long> reasons;
  std::map<long, Counts> weeks;
};

void Count(Counts& c, bool withheld, const std::string& outcome) {
  if (withheld) {
    ++c.snoozed;
    return;
  }
  ++c.issued;
  if (outcome == "accepted") ++c.accepted;
  if (outcome == "overridden") ++c.overridden;
}

std::string Percent(std::optional<double> rate) {
  if (!rate) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", *rate * 100);
  return buf;
}

std::string Label(const std::map<std::string, std::string>& labels, const std::string& key) {
  auto it = labels.find(key);
  return it == labels.end() ? key : it->second;
}

}  // namespace

std::string ReportLabels::Reason(const std::string& rule, const std::string& code) const {
  if (code.empty()) return "(no reason given)";
  auto r = reasons.find(rule);
  if (r == reasons.end()) return code;
  return Label(r->second, code);
}

namespace {

// The three most frequent override reasons, "display (n); …".
std::string TopReasons(const RuleReport& r, const ReportLabels& labels, std::size_t n = 3) {
  std::string out;
  for (std::size_t i = 0; i < r.override_reasons.size() && i < n; ++i) {
    out.append(out.empty() ? "" : "; ")
        .append(labels.Reason(r.rule, r.override_reasons[i].first))
        .append(" (" + std::to_string(r.override_reasons[i].second) + ")");
  }
  return out;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string RenderText(const Report& r, const ReportLabels& labels) {
  std::string out = "Guideline adherence, " + r.from + " to " + r.to + " (UTC; generated " + r.generated_at + ")\n\n";
  char line[512];
  std::string service;
  for (const RuleReport& rule : r.rules) {
    if (rule.service != service) {
      service = rule.service;
      out += service + "\n";
      std::snprintf(line, sizeof line, "  %-44s %7s %8s %8s %10s %11s %10s %7s\n", "rule", "issued", "patients",
                    "accepted", "overridden", "no response", "acceptance", "snoozed");
      out += line;
    }
    const std::string title = Label(labels.rule_titles, rule.rule);
    std::snprintf(line, sizeof line, "  %-44.44s %7ld %8ld %8ld %10ld %11ld %10s %7ld\n", title.c_str(),
                  rule.counts.issued, rule.patients, rule.counts.accepted, rule.counts.overridden,
                  rule.counts.no_response(), Percent(rule.counts.acceptance_rate()).c_str(), rule.counts.snoozed);
    out += line;
    if (!rule.override_reasons.empty()) out += "      overridden because: " + TopReasons(rule, labels) + "\n";
  }
  if (r.rules.empty()) out += "No cards were issued in this period.\n";
  std::snprintf(line, sizeof line, "\nAll rules: %ld issued to %ld patients; %ld accepted, %ld overridden, %ld no response (acceptance %s); %ld snoozed.\n",
                r.total.issued, r.patients, r.total.accepted, r.total.overridden, r.total.no_response(),
                Percent(r.total.acceptance_rate()).c_str(), r.total.snoozed);
  out += line;
  for (const auto& [svc, n] : r.unknown_feedback) {
    out += "Feedback for cards this deployment never issued: " + std::to_string(n) + " item(s) to " + svc + "\n";
  }
  if (!r.rules.empty()) {
    out += "\nWeekly trend (issued / accepted / overridden / no response / snoozed):\n";
    for (const RuleReport& rule : r.rules) {
      out += "  " + rule.service + " " + rule.rule + "\n";
      for (const WeekCounts& w : rule.weeks) {
        std::snprintf(line, sizeof line, "    week of %s  %5ld %5ld %5ld %5ld %5ld\n", w.week.c_str(), w.counts.issued,
                      w.counts.accepted, w.counts.overridden, w.counts.no_response(), w.counts.snoozed);
        out += line;
      }
    }
  }
  out += "\nA card's outcome is its latest feedback item; acceptance = accepted / issued. Snoozed cards were withheld\n"
         "because the clinician had already answered the same card for the same patient.\n";
  return out;
}

std::string RenderCsv(const Report& r, const ReportLabels& labels) {
  std::string out =
      "service,rule,title,period,issued,patients,accepted,overridden,no_response,acceptance_rate,snoozed,"
      "top_override_reasons\n";
  auto row = [&](const RuleReport& rule, const std::string& period, const Counts& c, const std::string& patients,
                 const std::string& reasons) {
    const auto rate = c.acceptance_rate();
    char buf[32] = "";
    if (rate) std::snprintf(buf, sizeof buf, "%.4f", *rate);
    out += CsvField(rule.service) + "," + CsvField(rule.rule) + "," + CsvField(Label(labels.rule_titles, rule.rule)) +
           "," + period + "," + std::to_string(c.issued) + "," + patients + "," + std::to_string(c.accepted) + "," +
           std::to_string(c.overridden) + "," + std::to_string(c.no_response()) + "," + buf + "," +
           std::to_string(c.snoozed) + "," + CsvField(reasons) + "\n";
  };
  for (const RuleReport& rule : r.rules) {
    row(rule, "total", rule.counts, std::to_string(rule.patients), TopReasons(rule, labels, 100));
    for (const WeekCounts& w : rule.weeks) row(rule, w.week, w.counts, "", "");
  }
  return out;
}

void WriteCounts(rapidjson::Writer<rapidjson::StringBuffer>& w, const Counts& c) {
  w.Key("issued"), w.Int64(c.issued);
  w.Key("accepted"), w.Int64(c.accepted);
  w.Key("overridden"), w.Int64(c.overridden);
  w.Key("noResponse"), w.Int64(c.no_response());
  w.Key("snoozed"), w.Int64(c.snoozed);
  w.Key("acceptanceRate");
  if (auto rate = c.acceptance_rate()) {
    w.Double(*rate);
  } else {
    w.Null();
  }
}

std::string RenderJson(const Report& r, const ReportLabels& labels) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&w](const std::string& s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
  w.StartObject();
  w.Key("from"), str(r.from);
  w.Key("to"), str(r.to);
  w.Key("generatedAt"), str(r.generated_at);
  w.Key("total"), w.StartObject();
  WriteCounts(w, r.total);
  w.Key("patients"), w.Int64(r.patients);
  w.EndObject();
  w.Key("rules"), w.StartArray();
  for (const RuleReport& rule : r.rules) {
    w.StartObject();
    w.Key("service"), str(rule.service);
    w.Key("rule"), str(rule.rule);
    w.Key("title"), str(Label(labels.rule_titles, rule.rule));
    WriteCounts(w, rule.counts);
    w.Key("patients"), w.Int64(rule.patients);
    w.Key("overrideReasons"), w.StartArray();
    for (const auto& [code, n] : rule.override_reasons) {
      w.StartObject();
      w.Key("code"), str(code);
      w.Key("display"), str(labels.Reason(rule.rule, code));
      w.Key("count"), w.Int64(n);
      w.EndObject();
    }
    w.EndArray();
    w.Key("weeks"), w.StartArray();
    for (const WeekCounts& week : rule.weeks) {
      w.StartObject();
      w.Key("week"), str(week.week);
      WriteCounts(w, week.counts);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("unknownCardFeedback"), w.StartObject();
  for (const auto& [svc, n] : r.unknown_feedback) w.Key(svc.c_str()), w.Int64(n);
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

}  // namespace

std::optional<double> Counts::acceptance_rate() const {
  if (issued <= 0) return std::nullopt;
  return static_cast<double>(accepted) / static_cast<double>(issued);
}

std::optional<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "text") return ReportFormat::kText;
  if (name == "csv") return ReportFormat::kCsv;
  if (name == "json") return ReportFormat::kJson;
  if (name == "html") return ReportFormat::kHtml;
  return std::nullopt;
}

Report BuildReport(Store& store, const std::string& from, const std::string& to, const std::string& generated_at) {
  Report report;
  report.from = from;
  report.to = to;
  report.generated_at = generated_at;
  const long first = ParseDay(from).value_or(0), last = ParseDay(to).value_or(0);
  const std::string begin = from, end = FormatDay(last + 1);  // issued_at < the day after `to`
  std::map<std::pair<std::string, std::string>, RuleTally> tallies;
  std::set<std::string> patients;
  for (const std::vector<std::string>& row : store.Query(kReportCards, {begin, end})) {
    if (row.size() < 7) continue;
    RuleTally& t = tallies[{row[0], row[1]}];
    const bool withheld = row[2] == "1" || row[2] == "t";
    Count(t.report.counts, withheld, row[5]);
    Count(report.total, withheld, row[5]);
    if (!withheld) {
      t.patients.insert(row[3]);
      patients.insert(row[3]);
      if (row[5] == "overridden") ++t.reasons[row[6]];
    }
    Count(t.weeks[MondayOf(ParseDay(std::string_view(row[4]).substr(0, 10)).value_or(first))], withheld, row[5]);
  }
  for (auto& [key, t] : tallies) {
    t.report.service = key.first;
    t.report.rule = key.second;
    t.report.patients = static_cast<long>(t.patients.size());
    for (const auto& [code, n] : t.reasons) t.report.override_reasons.emplace_back(code, n);
    std::stable_sort(t.report.override_reasons.begin(), t.report.override_reasons.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (long week = MondayOf(first); week <= last; week += 7) {
      auto it = t.weeks.find(week);
      t.report.weeks.push_back(WeekCounts{FormatDay(week), it == t.weeks.end() ? Counts{} : it->second});
    }
    report.rules.push_back(std::move(t.report));
  }
  // By service, then the rules that fired most first: what an analyst looks at first.
  std::stable_sort(report.rules.begin(), report.rules.end(), [](const RuleReport& a, const RuleReport& b) {
    if (a.service != b.service) return a.service < b.service;
    return a.counts.issued + a.counts.snoozed > b.counts.issued + b.counts.snoozed;
  });
  report.patients = static_cast<long>(patients.size());
  for (const std::vector<std::string>& row : store.Query(kReportUnknownFeedback, {begin, end})) {
    if (row.size() >= 2) report.unknown_feedback[row[0]] = std::stol(row[1]);
  }
  return report;
}

std::string RenderReport(const Report& report, const ReportLabels& labels, ReportFormat format) {
  switch (format) {
    case ReportFormat::kText: return RenderText(report, labels);
    case ReportFormat::kCsv: return RenderCsv(report, labels);
    case ReportFormat::kJson: return RenderJson(report, labels);
    case ReportFormat::kHtml: return RenderHtml(report, labels);
  }
  return {};
}

}  // namespace cds::audit
