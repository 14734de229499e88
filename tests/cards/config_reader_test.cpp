// cards/config_reader.cpp: typed getters, defaults, and errors that name file and field.
#include "cards/config_reader.h"

#include <gtest/gtest.h>

#include <functional>

#include "fhir/parsed_json.h"
#include "fhir/result.h"

namespace cds::cards {
namespace {

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const fhir::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ConfigReader, ReadsTypedValuesWithDefaults) {
  auto doc = fhir::ParsedJson::Parse(R"({"s":"x","n":12,"b":false,"i":"warning","o":{"k":"v"},"l":["a","b"]})");
  ConfigReader r(doc->root(), "f.json");
  EXPECT_EQ(r.String("s"), "x");
  EXPECT_EQ(r.OptionalString("absent", "dflt"), "dflt");
  EXPECT_EQ(r.Number("n", 0, 100), 12);
  EXPECT_EQ(r.Number("absent2", 0, 100, 7.0), 7);
  EXPECT_FALSE(r.Bool("b", true));
  EXPECT_EQ(r.IndicatorValue("i"), Indicator::kWarning);
  ConfigReader o = r.Object("o");
  EXPECT_EQ(o.String("k"), "v");
  o.Finish();
  EXPECT_EQ(r.Strings("l"), (std::vector<std::string>{"a", "b"}));
  r.Finish();
}

TEST(ConfigReader, ErrorsNameFileAndFieldPath) {
  auto doc = fhir::ParsedJson::Parse(R"({"o":{"n":500,"s":""},"extra":1,"l":[1]})");
  ConfigReader r(doc->root(), "f.json");
  EXPECT_EQ(ErrorOf([&] { r.Object("o").Number("n", 0, 100); }),
            "f.json: o.n: must be between 0.000000 and 100.000000, got 500.000000");
  EXPECT_EQ(ErrorOf([&] { r.Object("o").String("s"); }), "f.json: o.s: must be a non-empty string");
  EXPECT_EQ(ErrorOf([&] { r.String("missing"); }), "f.json: missing: missing");
  EXPECT_EQ(ErrorOf([&] { r.Strings("l"); }), "f.json: l[0]: must be a non-empty string");
  auto other = fhir::ParsedJson::Parse(R"({"o":{},"extra":1})");
  ConfigReader fresh(other->root(), "f.json");
  fresh.Object("o");
  EXPECT_EQ(ErrorOf([&] { fresh.Finish(); }), "f.json: extra: unknown setting (misspelt?)");
}

TEST(ConfigReader, RootMustBeAnObject) {
  auto doc = fhir::ParsedJson::Parse("[]");
  EXPECT_EQ(ErrorOf([&] { ConfigReader r(doc->root(), "f.json"); }), "f.json: (root): must be a JSON object");
}

TEST(CodePoints, CountsCharactersNotBytes) {
  EXPECT_EQ(CodePoints("abc"), 3u);
  EXPECT_EQ(CodePoints("6–8 weeks"), 9u);  // the en dash is three bytes
}

}  // namespace
}  // namespace cds::cards
