// fhir/value_set.cpp: membership by code, by ICD family (is-a), and by name; and load-time errors.
#include "fhir/value_set.h"

#include <gtest/gtest.h>

#include "fhir/parsed_json.h"
#include "fhir/result.h"

namespace cds::fhir {
namespace {

constexpr char kIcd[] = "http://hl7.org/fhir/sid/icd-10-cm";

ValueSet Load(const std::string& text) {
  auto doc = ParsedJson::Parse(text);
  EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.error().message);
  return ValueSet::FromJson(doc->root(), "test.json");
}

std::string LoadError(const std::string& text) {
  try {
    Load(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const char* kTendinopathy = R"({
  "resourceType": "ValueSet", "id": "t", "url": "https://example.org/t", "title": "Tendinopathy",
  "extension": [{"url": "https://achilles-cds.org/fhir/StructureDefinition/name-match", "extension": [
    {"url": "all", "valueString": "achilles"},
    {"url": "all", "valueString": "tendin*|tendon|partial tear"},
    {"url": "none", "valueString": "rupture*"}]}],
  "compose": {"include": [
    {"system": "http://hl7.org/fhir/sid/icd-10-cm", "concept": [{"code": "M76.61"}]},
    {"system": "http://hl7.org/fhir/sid/icd-10-cm", "filter": [{"property": "concept", "op": "is-a", "value": "S86.01"}]},
    {"system": "http://snomed.info/sct", "concept": [{"code": "11654001"}]}]}})";

TEST(ValueSet, MatchesListedCodesInTheirSystemOnly) {
  ValueSet vs = Load(kTendinopathy);
  EXPECT_TRUE(vs.ContainsCode(kIcd, "M76.61"));
  EXPECT_TRUE(vs.ContainsCode("http://snomed.info/sct", "11654001"));
  EXPECT_FALSE(vs.ContainsCode("http://snomed.info/sct", "M76.61"));
  EXPECT_FALSE(vs.ContainsCode(kIcd, "M76.62"));
  EXPECT_FALSE(vs.ContainsCode(kIcd, ""));
}

TEST(ValueSet, IsAMatchesTheIcdFamilyWithAnySeventhCharacter) {
  ValueSet vs = Load(kTendinopathy);
  for (const char* code : {"S86.01", "S86.011", "S86.011A", "S86.012D", "S86.019S", "s86.011a", "S86011A"}) {
    EXPECT_TRUE(vs.ContainsCode(kIcd, code)) << code;
  }
  for (const char* code : {"S86.0", "S86.02", "S86.021A", "S86.1"}) EXPECT_FALSE(vs.ContainsCode(kIcd, code)) << code;
  EXPECT_TRUE(vs.ContainsCode(kIcd, "M7661"));  // dots do not matter for ICD codes
}

TEST(ValueSet, MatchesNamesAsWholeWordsWithAllGroupsAndNoExclusions) {
  ValueSet vs = Load(kTendinopathy);
  auto m = vs.MatchName("Left ACHILLES tendinopathy");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->term, "achilles");
  EXPECT_TRUE(vs.MatchName("Achilles partial tear, right"));
  EXPECT_FALSE(vs.MatchName("Achilles tendon rupture"));      // none: rupture*
  EXPECT_FALSE(vs.MatchName("Tendinopathy of the patella"));  // the achilles group is missing
  EXPECT_FALSE(vs.MatchName("Achillestendon pain"));          // "achilles" is not a whole word there
  EXPECT_FALSE(vs.MatchName(""));
}

TEST(TermIndex, HonoursWordBoundariesAndPrefixes) {
  auto found = [](std::vector<std::string> terms, std::string_view lower) {
    return TermIndex(terms).Find(lower) != nullptr;
  };
  EXPECT_TRUE(found({"kenalog*"}, "kenalog-40 injection"));
  EXPECT_TRUE(found({"po"}, "po daily"));
  EXPECT_FALSE(found({"po"}, "apply to posterior ankle"));
  EXPECT_TRUE(found({"knee"}, "left knee"));
  EXPECT_FALSE(found({"knee"}, "kneel"));
  EXPECT_TRUE(found({"steroidal"}, "non-steroidal"));  // '-' separates words
  EXPECT_TRUE(found({"by mouth"}, "x by mouth"));
  EXPECT_FALSE(found({"tendon"}, "tendons"));
  EXPECT_TRUE(found({"tendon*"}, "tendons"));
  EXPECT_FALSE(found({"fe"}, "café"));  // bytes of other scripts are letters: "é" does not end a word
  EXPECT_EQ(*TermIndex({"zeta", "alpha*", "al"}).Find("the alphabet"), "alpha");
  EXPECT_EQ(TermIndex(std::vector<std::string>{}).Find("anything"), nullptr);
}

TEST(ValueSet, LongTextsAreSearchedToo) {
  ValueSet vs = Load(kTendinopathy);
  std::string text(5000, 'x');
  text += " achilles tendinosis";
  EXPECT_TRUE(vs.MatchName(text));
}

TEST(ValueSet, NameOnlyValueSetHasNoCompose) {
  ValueSet vs = Load(
      R"({"resourceType":"ValueSet","id":"n","url":"u","extension":[{"url":"https://achilles-cds.org/fhir/StructureDefinition/name-match","extension":[{"url":"all","valueString":"knee|shoulder"}]}]})");
  EXPECT_TRUE(vs.MatchName("Right knee"));
  EXPECT_FALSE(vs.ContainsCode("http://snomed.info/sct", "1"));
  EXPECT_EQ(vs.title(), "n");
}

TEST(ValueSet, UnsupportedContentStopsLoadingWithFileAndField) {
  EXPECT_NE(LoadError(R"({"resourceType":"CodeSystem","id":"x","url":"u"})").find("test.json: resourceType"),
            std::string::npos);
  EXPECT_NE(
      LoadError(
          R"({"resourceType":"ValueSet","url":"u","compose":{"include":[{"system":"s","concept":[{"code":"1"}]}]}})")
          .find("id"),
      std::string::npos);
  const std::string snomed_is_a = LoadError(R"({"resourceType":"ValueSet","id":"x","url":"u","compose":{"include":[
      {"system":"http://snomed.info/sct","filter":[{"property":"concept","op":"is-a","value":"1"}]}]}})");
  EXPECT_NE(snomed_is_a.find("compose.include[0].filter[0]"), std::string::npos) << snomed_is_a;
  const std::string regex = LoadError(R"({"resourceType":"ValueSet","id":"x","url":"u","compose":{"include":[
      {"system":"http://hl7.org/fhir/sid/icd-10-cm","filter":[{"property":"concept","op":"regex","value":"S8.*"}]}]}})");
  EXPECT_NE(regex.find("is-a"), std::string::npos) << regex;
  EXPECT_NE(LoadError(R"({"resourceType":"ValueSet","id":"x","url":"u","compose":{"include":[{"system":"s"}]}})")
                .find("compose.include[0]"),
            std::string::npos);
  EXPECT_NE(
      LoadError(
          R"({"resourceType":"ValueSet","id":"x","url":"u","compose":{"include":[{"system":"s","concept":[{"code":"1"}]}],"exclude":[]}})")
          .find("compose.exclude"),
      std::string::npos);
  EXPECT_NE(
      LoadError(
          R"({"resourceType":"ValueSet","id":"x","url":"u","extension":[{"url":"https://achilles-cds.org/fhir/StructureDefinition/name-match","extension":[{"url":"any","valueString":"a"}]}]})")
          .find("extension[0].extension[0].url"),
      std::string::npos);
  EXPECT_NE(
      LoadError(
          R"({"resourceType":"ValueSet","id":"x","url":"u","extension":[{"url":"https://achilles-cds.org/fhir/StructureDefinition/name-match","extension":[{"url":"all","valueString":"a||b"}]}]})")
          .find("empty term"),
      std::string::npos);
  EXPECT_NE(LoadError(R"({"resourceType":"ValueSet","id":"x","url":"u"})").find("no codes and no names"),
            std::string::npos);
}

}  // namespace
}  // namespace cds::fhir
