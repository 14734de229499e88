// Rendering of the population report. Every figure a chart draws is also written as text (table, labels,
// tooltips), as in the card-log report.
#include "population/population_report.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>

#include "audit/html_page.h"

namespace cds::population {
namespace {

using audit::HtmlEscape;
using audit::Num;
using audit::Percent;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr char kMeasureBase[] = "https://achilles-cds.org/fhir/Measure/";
constexpr char kKeySystem[] = "https://achilles-cds.org/fhir/NamingSystem/patient-key";

std::string Month(fhir::Date d) { return d.ToString().substr(0, 7); }

std::string Rate(const Tally& t) {
  if (!t.rate()) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.4f", *t.rate());
  return buf;
}

std::string OutcomeWord(Outcome o) { return o == Outcome::kMet ? "yes" : o == Outcome::kNotMet ? "no" : ""; }

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Text(const PopulationReport& r) {
  std::string t = "Achilles tendinopathy population audit: onset " + r.from + " to " + r.to + ", follow-up to " +
                  r.as_of + "\n";
  t += "Cohort: " + std::to_string(r.cohort) + " patients. Read " + std::to_string(r.input.files_read) + " files, " +
       std::to_string(r.input.lines) + " lines; skipped " + std::to_string(r.input.lines_skipped) + " lines.\n\n";
  for (const MeasureSummary& m : r.measures) {
    char line[64];
    std::snprintf(line, sizeof line, "%5ld / %-5ld %6s  ", m.total.numerator, m.total.denominator,
                  Percent(m.total.rate()).c_str());
    t += std::string(line) + std::string(m.def->title) + (m.def->higher_is_better ? " (higher is better)\n" : " (lower is better)\n");
    t += "                     numerator: " + std::string(m.def->numerator) + "\n";
    t += "                     denominator: " + std::string(m.def->denominator) + "\n";
  }
  if (r.input.problems_total > 0) {
    t += "\nProblems (" + std::to_string(r.input.problems_total) + "):\n";
    for (const FileProblem& p : r.input.problems)
      t += "  " + p.file + (p.line ? ":" + std::to_string(p.line) : "") + ": " + p.problem + "\n";
  }
  return t;
}

std::string CsvReport(const PopulationReport& r) {
  std::string c = "measure,group,title,month,numerator,denominator,rate,higher_is_better,denominator_definition\n";
  for (const MeasureSummary& m : r.measures) {
    auto row = [&](const std::string& month, const Tally& t) {
      c += std::string(m.def->measure) + "," + std::string(m.def->group) + "," + Csv(std::string(m.def->title)) + "," +
           month + "," + std::to_string(t.numerator) + "," + std::to_string(t.denominator) + "," + Rate(t) + "," +
           (m.def->higher_is_better ? "true" : "false") + "," + Csv(std::string(m.def->denominator)) + "\n";
    };
    row("all", m.total);
    for (const auto& [month, t] : m.months) row(month, t);
  }
  return c;
}

void WriteTally(Writer& w, const Tally& t) {
  w.Key("numerator");
  w.Int64(t.numerator);
  w.Key("denominator");
  w.Int64(t.denominator);
  w.Key("rate");
  if (t.rate()) {
    w.Double(*t.rate());
  } else {
    w.Null();
  }
}

std::string Json(const PopulationReport& r) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  for (const auto& [k, v] : {std::pair<const char*, const std::string*>{"from", &r.from}, {"to", &r.to},
                             {"asOf", &r.as_of}, {"generatedAt", &r.generated_at}}) {
    w.Key(k);
    w.String(v->c_str());
  }
  w.Key("cohort");
  w.Int64(r.cohort);
  w.Key("measures");
  w.StartArray();
  for (const MeasureSummary& m : r.measures) {
    w.StartObject();
    w.Key("measure");
    w.String(m.def->measure.data(), static_cast<rapidjson::SizeType>(m.def->measure.size()));
    w.Key("group");
    w.String(m.def->group.data(), static_cast<rapidjson::SizeType>(m.def->group.size()));
    w.Key("title");
    w.String(m.def->title.data(), static_cast<rapidjson::SizeType>(m.def->title.size()));
    w.Key("numeratorDefinition");
    w.String(m.def->numerator.data(), static_cast<rapidjson::SizeType>(m.def->numerator.size()));
    w.Key("denominatorDefinition");
    w.String(m.def->denominator.data(), static_cast<rapidjson::SizeType>(m.def->denominator.size()));
    w.Key("higherIsBetter");
    w.Bool(m.def->higher_is_better);
    WriteTally(w, m.total);
    w.Key("months");
    w.StartArray();
    for (const auto& [month, t] : m.months) {
      w.StartObject();
      w.Key("month");
      w.String(month.c_str());
      WriteTally(w, t);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("input");
  w.StartObject();
  w.Key("filesRead");
  w.Uint64(r.input.files_read);
  w.Key("filesNotNeeded");
  w.StartArray();
  for (const std::string& f : r.input.files_not_needed) w.String(f.c_str());
  w.EndArray();
  w.Key("lines");
  w.Uint64(r.input.lines);
  w.Key("linesSkipped");
  w.Uint64(r.input.lines_skipped);
  w.Key("bytes");
  w.Uint64(r.input.bytes);
  w.Key("problemsTotal");
  w.Uint64(r.input.problems_total);
  w.Key("problems");
  w.StartArray();
  for (const FileProblem& p : r.input.problems) {
    w.StartObject();
    w.Key("file");
    w.String(p.file.c_str());
    w.Key("line");
    w.Uint64(p.line);
    w.Key("problem");
    w.String(p.problem.c_str());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return std::string(b.GetString(), b.GetSize()) + "\n";
}

// FHIR R4 MeasureReports in a collection Bundle: a summary per Measure (measure 5 has two groups), and with
// `subject_lists` a subject-list report per Measure whose populations point at contained Lists of keys.
std::string MeasureReports(const PopulationReport& r, bool subject_lists) {
  rapidjson::StringBuffer b;
  Writer w(b);
  auto str = [&w](std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
  auto coding = [&](std::string_view system, std::string_view code) {
    w.StartObject();
    w.Key("coding");
    w.StartArray();
    w.StartObject();
    w.Key("system");
    str(system);
    w.Key("code");
    str(code);
    w.EndObject();
    w.EndArray();
    w.EndObject();
  };
  std::vector<std::string_view> measures;
  for (const MeasureSummary& m : r.measures) {
    if (std::find(measures.begin(), measures.end(), m.def->measure) == measures.end()) measures.push_back(m.def->measure);
  }
  w.StartObject();
  w.Key("resourceType");
  str("Bundle");
  w.Key("type");
  str("collection");
  w.Key("timestamp");
  str(r.generated_at);
  w.Key("entry");
  w.StartArray();
  for (int kind = 0; kind < (subject_lists ? 2 : 1); ++kind) {
    for (std::string_view id : measures) {
      const MeasureSummary* first = nullptr;
      for (const MeasureSummary& m : r.measures) {
        if (m.def->measure == id && first == nullptr) first = &m;
      }
      w.StartObject();
      w.Key("resource");
      w.StartObject();
      w.Key("resourceType");
      str("MeasureReport");
      w.Key("id");
      str(std::string(id) + (kind == 0 ? "-summary" : "-subjects"));
      if (kind == 1) {  // the contained Lists of pseudonymous keys, one per group and population
        w.Key("contained");
        w.StartArray();
        for (const MeasureSummary& m : r.measures) {
          if (m.def->measure != id) continue;
          for (const auto* keys : {&m.denominator_keys, &m.numerator_keys}) {
            w.StartObject();
            w.Key("resourceType");
            str("List");
            w.Key("id");
            str(std::string(m.def->group) + (keys == &m.numerator_keys ? "-numerator" : "-denominator"));
            w.Key("status");
            str("current");
            w.Key("mode");
            str("snapshot");
            w.Key("entry");
            w.StartArray();
            for (const std::string& k : *keys) {
              w.StartObject();
              w.Key("item");
              w.StartObject();
              w.Key("identifier");
              w.StartObject();
              w.Key("system");
              str(kKeySystem);
              w.Key("value");
              str(k);
              w.EndObject();
              w.EndObject();
              w.EndObject();
            }
            w.EndArray();
            w.EndObject();
          }
        }
        w.EndArray();
      }
      w.Key("status");
      str("complete");
      w.Key("type");
      str(kind == 0 ? "summary" : "subject-list");
      w.Key("measure");
      str(std::string(kMeasureBase) + std::string(id));
      w.Key("date");
      str(r.generated_at);
      w.Key("period");
      w.StartObject();
      w.Key("start");
      str(r.from);
      w.Key("end");
      str(r.to);
      w.EndObject();
      w.Key("improvementNotation");
      coding("http://terminology.hl7.org/CodeSystem/measure-improvement-notation",
             first->def->higher_is_better ? "increase" : "decrease");
      w.Key("group");
      w.StartArray();
      for (const MeasureSummary& m : r.measures) {
        if (m.def->measure != id) continue;
        w.StartObject();
        w.Key("code");
        coding("https://achilles-cds.org/fhir/CodeSystem/measure-group", m.def->group);
        w.Key("population");
        w.StartArray();
        for (const auto& [code, count] : {std::pair<const char*, long>{"initial-population", r.cohort},
                                          {"denominator", m.total.denominator},
                                          {"numerator", m.total.numerator}}) {
          w.StartObject();
          w.Key("code");
          coding("http://terminology.hl7.org/CodeSystem/measure-population", code);
          w.Key("count");
          w.Int64(count);
          if (kind == 1 && std::string_view(code) != "initial-population") {
            w.Key("subjectResults");
            w.StartObject();
            w.Key("reference");
            str("#" + std::string(m.def->group) + "-" + code);
            w.EndObject();
          }
          w.EndObject();
        }
        w.EndArray();
        if (m.total.rate()) {
          w.Key("measureScore");
          w.StartObject();
          w.Key("value");
          w.Double(*m.total.rate());
          w.EndObject();
        }
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  return std::string(b.GetString(), b.GetSize()) + "\n";
}

// Monthly bars: the denominator (grey) with the numerator over it (blue when higher is better, orange when
// lower is), each month's figures in data attributes and a tooltip.
std::string MonthChart(const MeasureSummary& m) {
  const double width = 480, height = 170, left = 34, right = 8, top = 16, bottom = 30;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  long max = 1;
  for (const auto& [month, t] : m.months) max = std::max(max, t.denominator);
  const std::size_t n = std::max<std::size_t>(m.months.size(), 1);
  const double slot = plot_w / static_cast<double>(n);
  const double bar = std::min(slot * 0.7, 36.0);
  const std::size_t label_every = (n + 11) / 12;
  std::string svg = "<svg viewBox=\"0 0 " + Num(width) + " " + Num(height) + "\" role=\"img\" aria-label=\"Monthly " +
                    HtmlEscape(m.def->title) + "\">";
  for (long tick : {0L, max}) {
    const double y = top + plot_h - plot_h * static_cast<double>(tick) / static_cast<double>(max);
    svg += "<line x1=\"" + Num(left) + "\" x2=\"" + Num(width - right) + "\" y1=\"" + Num(y) + "\" y2=\"" + Num(y) +
           "\"/><text x=\"" + Num(left - 4) + "\" y=\"" + Num(y + 4) + "\" text-anchor=\"end\">" + std::to_string(tick) +
           "</text>";
  }
  std::size_t i = 0;
  for (const auto& [month, t] : m.months) {
    const double x = left + slot * static_cast<double>(i) + (slot - bar) / 2;
    const double hd = plot_h * static_cast<double>(t.denominator) / static_cast<double>(max);
    const double hn = plot_h * static_cast<double>(t.numerator) / static_cast<double>(max);
    svg += "<g class=\"month\" data-month=\"" + month + "\" data-numerator=\"" + std::to_string(t.numerator) +
           "\" data-denominator=\"" + std::to_string(t.denominator) + "\"><title>" + month + ": " +
           std::to_string(t.numerator) + " of " + std::to_string(t.denominator) + " (" + Percent(t.rate()) +
           ")</title>";
    if (t.denominator > 0) {
      svg += "<rect class=\"none\" x=\"" + Num(x) + "\" y=\"" + Num(top + plot_h - hd) + "\" width=\"" + Num(bar) +
             "\" height=\"" + Num(hd) + "\"/>";
    }
    if (t.numerator > 0) {
      svg += std::string("<rect class=\"") + (m.def->higher_is_better ? "accepted" : "overridden") + "\" x=\"" +
             Num(x) + "\" y=\"" + Num(top + plot_h - hn) + "\" width=\"" + Num(bar) + "\" height=\"" + Num(hn) + "\"/>";
    }
    if (i % label_every == 0) {
      svg += "<text x=\"" + Num(x + bar / 2) + "\" y=\"" + Num(height - bottom + 14) + "\" text-anchor=\"middle\">" +
             month.substr(2) + "</text>";  // "24-03": twelve fit under the bars
    }
    svg += "</g>";
    ++i;
  }
  return svg + "</svg>";
}

std::string Html(const PopulationReport& r) {
  const std::string period = r.from + " to " + r.to;
  std::string h = audit::HtmlPageStart("Population audit, onset " + period + " — Achilles CDS");
  h += "<header><h1>Population audit: Achilles tendinopathy care</h1><p class=\"period\">Patients whose Achilles "
       "tendinopathy began " + HtmlEscape(period) + ", followed up to " + HtmlEscape(r.as_of) + " · generated " +
       HtmlEscape(r.generated_at) + "</p></header>\n";
  h += "<section class=\"tiles\">" + audit::Tile("cohort", std::to_string(r.cohort), "patients in the cohort") +
       audit::Tile("files", std::to_string(r.input.files_read), "export files read") +
       audit::Tile("lines", std::to_string(r.input.lines), "resources read") +
       audit::Tile("skipped", std::to_string(r.input.lines_skipped), "lines skipped") + "</section>\n";
  if (r.input.problems_total > 0) {
    h += "<p class=\"note\" data-problems=\"" + std::to_string(r.input.problems_total) + "\">" +
         std::to_string(r.input.problems_total) + " problem(s) in the export; " + std::to_string(r.input.lines_skipped) +
         " line(s) were skipped, the rest was read. See the list at the end.</p>\n";
  }
  h += "<h2>Measures <small>every rate is numerator ÷ denominator; the denominator is stated with each</small></h2>";
  h += "<div class=\"table-wrap\"><table><thead><tr><th>Measure</th><th class=\"num\">Numerator</th><th "
       "class=\"num\">Denominator</th><th class=\"num\">Rate</th><th>Better</th></tr></thead><tbody>";
  std::string charts;
  for (const MeasureSummary& m : r.measures) {
    const std::string key = std::string(m.def->measure) + "/" + std::string(m.def->group);
    h += "<tr data-measure=\"" + HtmlEscape(key) + "\"><td>" + HtmlEscape(m.def->title) + "<br><code>numerator: " +
         HtmlEscape(m.def->numerator) + "</code><br><code>denominator: " + HtmlEscape(m.def->denominator) +
         "</code></td><td class=\"num\" data-col=\"numerator\">" + std::to_string(m.total.numerator) +
         "</td><td class=\"num\" data-col=\"denominator\">" + std::to_string(m.total.denominator) +
         "</td><td class=\"num\" data-col=\"rate\"><div class=\"rate\"><span class=\"bar\"><span style=\"width:" +
         Num(m.total.rate().value_or(0) * 100) + "%\"></span></span>" + Percent(m.total.rate()) + "</div></td><td>" +
         (m.def->higher_is_better ? "higher" : "lower") + "</td></tr>";
    charts += "<figure class=\"trend\" data-measure=\"" + HtmlEscape(key) + "\"><figcaption>" +
              HtmlEscape(m.def->title) + "</figcaption>" + MonthChart(m) + "</figure>";
  }
  h += "</tbody></table></div>";
  h += "<h2>By month of onset</h2><div class=\"legend\"><span><i style=\"background:var(--none)\"></i>denominator"
       "</span><span><i style=\"background:var(--accepted)\"></i>numerator (higher is better)</span><span><i "
       "style=\"background:var(--overridden)\"></i>numerator (lower is better)</span></div>";
  h += "<div class=\"charts\">" + charts + "</div>\n";
  if (r.input.problems_total > 0) {
    h += "<h2>Problems in the export</h2><div class=\"table-wrap\"><table><thead><tr><th>File</th><th "
         "class=\"num\">Line</th><th>Problem</th></tr></thead><tbody>";
    for (const FileProblem& p : r.input.problems) {
      h += "<tr class=\"problem\"><td>" + HtmlEscape(p.file) + "</td><td class=\"num\">" +
           (p.line ? std::to_string(p.line) : "–") + "</td><td>" + HtmlEscape(p.problem) + "</td></tr>";
    }
    h += "</tbody></table></div>";
    if (r.input.problems_total > r.input.problems.size())
      h += "<p>… and " + std::to_string(r.input.problems_total - r.input.problems.size()) + " more.</p>";
  }
  h += "<footer><p>Read from a FHIR Bulk Data export, whether or not an alert ever fired, with the live rules' "
       "value sets and thresholds. Onset: Condition.onsetDateTime, else onsetPeriod.start, else recordedDate. "
       "Patients are counted by pseudonymous key; this report holds no identifier.</p></footer>\n</body></html>\n";
  return h;
}

}  // namespace

std::optional<PopulationFormat> ParsePopulationFormat(std::string_view name) {
  if (name == "text") return PopulationFormat::kText;
  if (name == "csv") return PopulationFormat::kCsv;
  if (name == "json") return PopulationFormat::kJson;
  if (name == "html") return PopulationFormat::kHtml;
  if (name == "measurereport") return PopulationFormat::kMeasureReport;
  return std::nullopt;
}

PopulationReport Summarise(const PopulationResult& result, const audit::Pseudonymizer& keys, fhir::Date from,
                           fhir::Date to, fhir::Date as_of, const std::string& generated_at) {
  PopulationReport r;
  r.from = from.ToString();
  r.to = to.ToString();
  r.as_of = as_of.ToString();
  r.generated_at = generated_at;
  r.input = result.input;
  for (std::size_t i = 0; i < kMeasureCount; ++i) {
    r.measures[i].def = &MeasureDefs()[i];
    // Every month of the period, so a month with no onset shows as an empty bar, not a gap.
    int y, m, d;
    from.ToYmd(y, m, d);
    for (fhir::Date month = fhir::Date::FromYmd(y, m, 1); month <= to;) {
      r.measures[i].months[Month(month)];
      if (++m > 12) {
        m = 1;
        ++y;
      }
      month = fhir::Date::FromYmd(y, m, 1);
    }
  }
  for (const CohortPatient& p : result.cohort) {
    if (!p.outcome.in_cohort) continue;
    ++r.cohort;
    PatientRow row{keys.Key(p.id), p.outcome.onset.ToString(), p.outcome.outcome};
    for (std::size_t i = 0; i < kMeasureCount; ++i) {
      const Outcome o = row.outcome[i];
      if (o == Outcome::kExcluded) continue;
      MeasureSummary& s = r.measures[i];
      Tally& month = s.months[Month(p.outcome.onset)];
      ++s.total.denominator;
      ++month.denominator;
      s.denominator_keys.push_back(row.key);
      if (o == Outcome::kMet) {
        ++s.total.numerator;
        ++month.numerator;
        s.numerator_keys.push_back(row.key);
      }
    }
    r.patients.push_back(std::move(row));
  }
  for (MeasureSummary& s : r.measures) {
    std::sort(s.numerator_keys.begin(), s.numerator_keys.end());
    std::sort(s.denominator_keys.begin(), s.denominator_keys.end());
  }
  return r;
}

std::string RenderPopulation(const PopulationReport& report, PopulationFormat format, bool subject_lists) {
  switch (format) {
    case PopulationFormat::kText: return Text(report);
    case PopulationFormat::kCsv: return CsvReport(report);
    case PopulationFormat::kJson: return Json(report);
    case PopulationFormat::kHtml: return Html(report);
    case PopulationFormat::kMeasureReport: return MeasureReports(report, subject_lists);
  }
  return {};
}

std::string RenderPatientsCsv(const PopulationReport& report) {
  std::string c = "patient_key,onset";
  for (const MeasureDef& d : MeasureDefs()) c += "," + std::string(d.column);
  c += "\n";
  for (const PatientRow& p : report.patients) {
    c += p.key + "," + p.onset;
    for (Outcome o : p.outcome) c += "," + OutcomeWord(o);
    c += "\n";
  }
  return c;
}

}  // namespace cds::population
