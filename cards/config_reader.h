// Strict, typed reading of one JSON object of a configuration file. Every failure is a ConfigError naming
// the file and the field path; Finish() rejects keys nobody asked for, so a misspelt setting stops start-up
// instead of silently leaving a default in place.
//
//   ConfigReader r(doc.root(), "config/rules/weight.json");
//   double bmi = r.Number("bmiThreshold", 10, 80, 30.0);
//   r.Finish();
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cards/card.h"
#include "fhir/json_node.h"

namespace cds::cards {

class ConfigReader {
 public:
  ConfigReader(const fhir::JsonNode* object, std::string file, std::string path = "");

  bool Has(std::string_view key) const;
  std::string String(std::string_view key);  // required, non-empty
  std::string OptionalString(std::string_view key, std::string fallback = "");
  bool Bool(std::string_view key, bool fallback);
  double Number(std::string_view key, double min, double max, std::optional<double> fallback = std::nullopt);
  // A whole number (weeks, days, years): 8.5 weeks is refused rather than truncated.
  int Integer(std::string_view key, int min, int max);
  Indicator IndicatorValue(std::string_view key, std::optional<Indicator> fallback = std::nullopt);
  ConfigReader Object(std::string_view key);                // required
  std::vector<ConfigReader> Objects(std::string_view key);  // optional array of objects ([] when absent)
  std::vector<std::string> Strings(std::string_view key);   // optional array of non-empty strings

  // Throws for any key of this object that no getter read.
  void Finish() const;
  [[noreturn]] void Fail(std::string_view key, const std::string& problem) const;

  const std::string& file() const { return file_; }
  std::string FieldPath(std::string_view key) const;

 private:
  const fhir::JsonNode* Get(std::string_view key);

  const fhir::JsonNode* node_;
  std::string file_;
  std::string path_;
  std::set<std::string, std::less<>> used_;
};

// Number of Unicode code points in UTF-8 text (what "characters" means for a card summary).
std::size_t CodePoints(std::string_view utf8);

}  // namespace cds::cards
