// fhir/json_node.cpp and parsed_json.cpp: tolerant access and strict parsing.
#include <gtest/gtest.h>

#include <string>

#include "fhir/json_document.h"
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

TEST(ParsedJson, DeepNestingIsRefusedNotACrash) {
  // 4 MiB of '[' would overflow a recursive parser's stack; the depth guard stops it at kMaxJsonDepth.
  std::string deep(4 * 1024 * 1024, '[');
  auto doc = ParsedJson::Parse(deep);
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.error().message.find("nested deeper than 256 levels"), std::string::npos) << doc.error().message;
  std::string ok(kMaxJsonDepth, '[');
  ok += std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParsedJson::Parse(ok).ok());
  std::string objects;
  for (unsigned i = 0; i <= kMaxJsonDepth; ++i) objects += "{\"a\":";
  objects += "1" + std::string(kMaxJsonDepth + 1, '}');
  EXPECT_FALSE(ParsedJson::Parse(objects).ok());
}

TEST(ParsedJson, RefusesNulBytes) {
  auto doc = ParsedJson::Parse(std::string("{\"a\":1}\0{", 9));
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.error().message.find("NUL"), std::string::npos);
}

TEST(IsValidUtf8, AcceptsUtf8AndRejectsTheRest) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII text that is longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("6–8 weeks, Müller, 腱, 🦶"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("abc\xc3"));           // truncated sequence
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abcdefgh\x80"));      // continuation byte without a lead
}

TEST(ParsedJson, ReadFileNamesTheFile) {
  auto doc = ParsedJson::ReadFile("/nonexistent/x.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.error().message.find("/nonexistent/x.json"), std::string::npos);
}

}  // namespace
}  // namespace cds::fhir
