// The population audit's report: per measure numerator, denominator (stated in words), rate and a monthly
// trend by onset month, in text, csv, json, html (the card-log report's look) or FHIR R4 MeasureReports;
// and the per-patient rows (pseudonymous key, onset, each measure's outcome) for a warehouse.
//
//   PopulationReport r = Summarise(result, pseudonymizer, from, to, as_of, generated_at);
//   std::string html = RenderPopulation(r, PopulationFormat::kHtml);
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/pseudonym.h"
#include "population/population_audit.h"

namespace cds::population {

enum class PopulationFormat { kText, kCsv, kJson, kHtml, kMeasureReport };
std::optional<PopulationFormat> ParsePopulationFormat(std::string_view name);

struct Tally {
  long numerator = 0, denominator = 0;
  std::optional<double> rate() const {
    return denominator > 0 ? std::optional<double>(static_cast<double>(numerator) / denominator) : std::nullopt;
  }
};

struct MeasureSummary {
  const MeasureDef* def = nullptr;
  Tally total;
  std::map<std::string, Tally> months;  // "YYYY-MM" of onset → tally (every month of the period)
  std::vector<std::string> numerator_keys, denominator_keys;  // pseudonymous keys, for subject lists
};

struct PatientRow {
  std::string key;    // HMAC-SHA256 of the Patient id (as in the card log)
  std::string onset;  // YYYY-MM-DD
  std::array<Outcome, kMeasureCount> outcome{};
};

struct PopulationReport {
  std::string from, to, as_of, generated_at;
  long cohort = 0;
  std::array<MeasureSummary, kMeasureCount> measures;
  std::vector<PatientRow> patients;
  InputStats input;
};

PopulationReport Summarise(const PopulationResult& result, const audit::Pseudonymizer& keys, fhir::Date from,
                           fhir::Date to, fhir::Date as_of, const std::string& generated_at);

// `subject_lists`: with kMeasureReport, one subject-list MeasureReport per measure besides the summaries.
std::string RenderPopulation(const PopulationReport& report, PopulationFormat format, bool subject_lists = false);
// One row per cohort patient: key, onset, then each measure's column: "yes", "no" or "" (not in its denominator).
std::string RenderPatientsCsv(const PopulationReport& report);

}  // namespace cds::population
