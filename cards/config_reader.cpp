// ConfigReader: typed getters with file/field-named errors.
#include "cards/config_reader.h"

#include <cmath>

#include "fhir/result.h"

namespace cds::cards {

namespace json = fhir::json;

ConfigReader::ConfigReader(const fhir::JsonNode* object, std::string file, std::string path)
    : node_(object), file_(std::move(file)), path_(std::move(path)) {
  if (!json::IsObject(node_)) throw fhir::ConfigError(file_, path_.empty() ? "(root)" : path_, "must be a JSON object");
}

std::string ConfigReader::FieldPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void ConfigReader::Fail(std::string_view key, const std::string& problem) const {
  throw fhir::ConfigError(file_, FieldPath(key), problem);
}

bool ConfigReader::Has(std::string_view key) const { return json::Member(node_, key) != nullptr; }

const fhir::JsonNode* ConfigReader::Get(std::string_view key) {
  used_.emplace(key);
  return json::Member(node_, key);
}

std::string ConfigReader::String(std::string_view key) {
  const fhir::JsonNode* v = Get(key);
  if (v == nullptr) Fail(key, "missing");
  if (!json::IsString(v) || json::String(v).empty()) Fail(key, "must be a non-empty string");
  return std::string(json::String(v));
}

std::string ConfigReader::OptionalString(std::string_view key, std::string fallback) {
  if (!Has(key)) {
    used_.emplace(key);
    return fallback;
  }
  return String(key);
}

bool ConfigReader::Bool(std::string_view key, bool fallback) {
  const fhir::JsonNode* v = Get(key);
  if (v == nullptr) return fallback;
  if (!json::IsBool(v)) Fail(key, "must be true or false");
  return *json::Bool(v);
}

double ConfigReader::Number(std::string_view key, double min, double max, std::optional<double> fallback) {
  const fhir::JsonNode* v = Get(key);
  if (v == nullptr) {
    if (fallback) return *fallback;
    Fail(key, "missing");
  }
  auto n = json::Number(v);
  if (!n || !std::isfinite(*n)) Fail(key, "must be a number");
  if (*n < min || *n > max) {
    Fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + std::to_string(*n));
  }
  return *n;
}

int ConfigReader::Integer(std::string_view key, int min, int max) {
  const double v = Number(key, min, max);
  if (v != std::floor(v)) Fail(key, "must be a whole number");
  return static_cast<int>(v);
}

Indicator ConfigReader::IndicatorValue(std::string_view key, std::optional<Indicator> fallback) {
  if (!Has(key) && fallback) {
    used_.emplace(key);
    return *fallback;
  }
  const std::string s = String(key);
  auto i = ParseIndicator(s);
  if (!i) Fail(key, "must be \"info\", \"warning\" or \"critical\", got \"" + s + "\"");
  return *i;
}

ConfigReader ConfigReader::Object(std::string_view key) {
  const fhir::JsonNode* v = Get(key);
  if (v == nullptr) Fail(key, "missing");
  return ConfigReader(v, file_, FieldPath(key));
}

std::vector<ConfigReader> ConfigReader::Objects(std::string_view key) {
  const fhir::JsonNode* v = Get(key);
  std::vector<ConfigReader> out;
  if (v == nullptr) return out;
  if (!json::IsArray(v)) Fail(key, "must be an array");
  for (std::size_t i = 0; i < json::Size(v); ++i) {
    out.emplace_back(json::At(v, i), file_, FieldPath(key) + "[" + std::to_string(i) + "]");
  }
  return out;
}

std::vector<std::string> ConfigReader::Strings(std::string_view key) {
  const fhir::JsonNode* v = Get(key);
  std::vector<std::string> out;
  if (v == nullptr) return out;
  if (!json::IsArray(v)) Fail(key, "must be an array of strings");
  for (std::size_t i = 0; i < json::Size(v); ++i) {
    const fhir::JsonNode* e = json::At(v, i);
    if (!json::IsString(e) || json::String(e).empty()) {
      Fail(std::string(key) + "[" + std::to_string(i) + "]", "must be a non-empty string");
    }
    out.emplace_back(json::String(e));
  }
  return out;
}

void ConfigReader::Finish() const {
  for (std::size_t i = 0; i < json::MemberCount(node_); ++i) {
    const std::string_view key = json::MemberAt(node_, i).first;
    if (used_.find(key) == used_.end()) Fail(key, "unknown setting (misspelt?)");
  }
}

std::size_t CodePoints(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace cds::cards
