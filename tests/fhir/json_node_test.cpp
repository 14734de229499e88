// fhir/json_node.cpp and parsed_json.cpp: tolerant access and strict parsing.
#include <gtest/gtest.h>

#include <string>

#include "fhir/json_document.h"
#include "fhir/json_node.h"
#include "fhir/datatypes.h"
#include "fhir/parsed_json.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <tuple>
#include <vector>

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

namespace cds::fhir {
namespace {

// A repeated member means one thing to RapidJSON (first wins) and another to most parsers (last wins): a
// parser differential an attacker can use to hide an order. Refused, naming the member and where it is.
TEST(ParsedJson, DuplicateMembersAreRefusedNamingTheMember) {
  for (const auto& [text, member, path] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {R"({"hook":"order-sign","hook":"patient-view"})", "hook", "hook"},
           {R"({"context":{"selections":[],"selections":["x"]}})", "selections", "context.selections"},
           {R"({"a":[{"b":{"c":1,"c":2}}]})", "c", "a.b.c"},
       }) {
    auto doc = ParsedJson::Parse(text);
    ASSERT_FALSE(doc.ok()) << text;
    EXPECT_NE(doc.error().message.find("Member \"" + member + "\" appears twice"), std::string::npos)
        << doc.error().message;
    EXPECT_EQ(doc.error().expression, path);
  }
  // The same name in different objects is fine, and a large object is checked by sorting.
  EXPECT_TRUE(ParsedJson::Parse(R"({"a":{"id":1},"b":{"id":2},"id":3})").ok());
  // Names of one length (and lengths 64 apart) are compared, not taken for repeats.
  EXPECT_TRUE(ParsedJson::Parse(R"({"code":1,"text":2,"a":3,")" + std::string(65, 'a') + R"(":4})").ok());
  auto apart = ParsedJson::Parse(R"({"code":1,"text":2,"id":3,"system":4,"text":5})");
  ASSERT_FALSE(apart.ok());
  EXPECT_EQ(apart.error().expression, "text");
  std::string big = "{";
  for (int i = 0; i < 5000; ++i) big += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  EXPECT_TRUE(ParsedJson::Parse(big + "}").ok());
  EXPECT_FALSE(ParsedJson::Parse(big + ",\"k17\":2}").ok());
}

// An unpaired surrogate escape decodes to bytes that are not UTF-8: never echoed into a card or an
// OperationOutcome. A proper pair is a character.
TEST(ParsedJson, UnpairedSurrogateEscapesAreRefused) {
  for (const char* text : {R"({"a":"\udc00"})", R"({"a":"x\udfffy"})", R"({"\udc00":1})"}) {
    auto doc = ParsedJson::Parse(text);
    ASSERT_FALSE(doc.ok()) << text;
    EXPECT_NE(doc.error().message.find("unpaired UTF-16 surrogate"), std::string::npos) << doc.error().message;
  }
  // An escaped backslash before "udc00" is text, not an escape.
  EXPECT_TRUE(ParsedJson::Parse(R"({"a":"\\udc00"})").ok());
  EXPECT_FALSE(ParsedJson::Parse(R"({"a":"\\\udc00"})").ok());
  auto pair = ParsedJson::Parse(R"({"a":"\ud83d\ude00 é"})");
  ASSERT_TRUE(pair.ok());
  EXPECT_TRUE(IsValidUtf8(json::StringAt(pair->root(), "a")));
}

TEST(ListJsonFiles, NamesWhatCannotBeListedAndNeverThrows) {
  EXPECT_FALSE(ListJsonFiles("/nonexistent-folder").ok());
  char dir[] = "/tmp/achilles-list-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string d = dir;
  std::filesystem::create_symlink(d + "/loop.json", d + "/loop.json");
  auto loop = ListJsonFiles(d);
  ASSERT_FALSE(loop.ok());
  EXPECT_NE(loop.error().message.find("loop.json"), std::string::npos) << loop.error().message;
  std::filesystem::remove(d + "/loop.json");
  std::ofstream(d + "/b.json") << "{}";
  std::ofstream(d + "/a.json") << "{}";
  std::ofstream(d + "/notes.txt") << "x";
  auto files = ListJsonFiles(d);
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(*files, (std::vector<std::string>{d + "/a.json", d + "/b.json"}));
  std::filesystem::remove_all(d);
}

TEST(ReferenceIs, AcceptsTheFormsEhrsSend) {
  EXPECT_TRUE(ReferenceIs("Patient/123", "Patient", "123"));
  EXPECT_TRUE(ReferenceIs("https://ehr.example/fhir/Patient/123", "Patient", "123"));
  EXPECT_TRUE(ReferenceIs("Patient/123/_history/4", "Patient", "123"));
  EXPECT_FALSE(ReferenceIs("Patient/1234", "Patient", "123"));
  EXPECT_FALSE(ReferenceIs("Patient/0123", "Patient", "123"));
  EXPECT_FALSE(ReferenceIs("Group/123", "Patient", "123"));
  EXPECT_FALSE(ReferenceIs("XPatient/123", "Patient", "123"));
}

}  // namespace
}  // namespace cds::fhir
