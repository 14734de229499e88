// fhir/json_node.cpp and parsed_json.cpp: tolerant access and strict parsing.
#include <gtest/gtest.h>

#include <string>

#include "fhir/json_node.h"
#include "fhir/parsed_json.h"

namespace cds::fhir {
namespace {

TEST(ParsedJson, ReadsMembersOfEveryType) {
  auto doc = ParsedJson::Parse(R"({"s":"x","n":2.5,"b":true,"a":[1,2],"o":{"k":"v"},"z":null})");
  ASSERT_TRUE(doc.ok());
  const JsonNode* r = doc->root();
  EXPECT_EQ(json::StringAt(r, "s"), "x");
  EXPECT_EQ(*json::Number(json::Member(r, "n")), 2.5);
  EXPECT_EQ(*json::Bool(json::Member(r, "b")), true);
  EXPECT_EQ(json::Size(json::Member(r, "a")), 2u);
  EXPECT_EQ(json::StringAt(json::Member(r, "o"), "k"), "v");
  EXPECT_TRUE(json::IsNull(json::Member(r, "z")));
  EXPECT_EQ(json::MemberCount(r), 6u);
  EXPECT_EQ(json::MemberAt(r, 0).first, "s");
}

TEST(ParsedJson, WrongTypesAndAbsenceReadAsEmpty) {
  auto doc = ParsedJson::Parse(R"({"s":1,"a":"not an array"})");
  ASSERT_TRUE(doc.ok());
  const JsonNode* r = doc->root();
  EXPECT_EQ(json::StringAt(r, "s"), "");
  EXPECT_EQ(json::Size(json::Member(r, "a")), 0u);
  EXPECT_EQ(json::Member(r, "missing"), nullptr);
  EXPECT_EQ(json::Member(nullptr, "x"), nullptr);
  EXPECT_FALSE(json::Number(json::Member(r, "a")));
  EXPECT_FALSE(json::IsNull(nullptr));
}

TEST(ParsedJson, SyntaxErrorsNameTheOffset) {
  auto doc = ParsedJson::Parse(R"({"a": 1,})");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().kind, ErrorKind::kBadRequest);
  EXPECT_NE(doc.error().message.find("offset 8"), std::string::npos) << doc.error().message;
}

TEST(ParsedJson, RejectsTrailingGarbageAndInvalidUtf8) {
  EXPECT_FALSE(ParsedJson::Parse("{} {}").ok());
  EXPECT_FALSE(ParsedJson::Parse(std::string("{\"a\":\"\xff\xfe\"}")).ok());
}

TEST(ParsedJson, DeepNestingIsAnErrorOrAValueNeverACrash) {
  // The iterative parser has no recursion: 100k levels of nesting must not overflow the stack.
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  auto doc = ParsedJson::Parse(deep);
  EXPECT_TRUE(doc.ok());
}

TEST(ParsedJson, ReadFileNamesTheFile) {
  auto doc = ParsedJson::ReadFile("/nonexistent/x.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.error().message.find("/nonexistent/x.json"), std::string::npos);
}

}  // namespace
}  // namespace cds::fhir
