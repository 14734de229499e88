// hooks/json_writer.cpp: commas in the right places and RFC 8259 string escaping; a real parser reads it back.
#include "hooks/json_writer.h"

#include <gtest/gtest.h>

#include "tests/support/json.h"

namespace cds::hooks {
namespace {

TEST(JsonWriter, PlacesCommasBetweenMembersAndElements) {
  std::string out;
  {
    JsonWriter w(out);
    w.StartObject();
    Member(w, "a", "1");
    Key(w, "b");
    w.StartArray();
    w.String("x");
    w.StartObject();
    w.EndObject();
    w.Bool(true);
    w.StartArray();
    w.EndArray();
    w.EndArray();
    OptionalMember(w, "empty", "");
    Member(w, "c", "");
    w.EndObject();
  }  // the writer hands its text over as it goes
  EXPECT_EQ(out, R"({"a":"1","b":["x",{},true,[]],"c":""})");
}

TEST(JsonWriter, EscapesWhatJsonRequiresAndNothingElse) {
  std::string out;
  const std::string text = std::string("q\" b\\ n\n r\r t\t bs\b ff\f nul") + '\0' + "\x01\x1f / é – 🦶";
  {
    JsonWriter w(out);
    w.String(text);
  }
  EXPECT_EQ(out, "\"q\\\" b\\\\ n\\n r\\r t\\t bs\\b ff\\f nul\\u0000\\u0001\\u001f / é – 🦶\"");
  const std::string doc = "[" + out + "]";
  rapidjson::Document d = test::Json(doc);
  ASSERT_FALSE(d.HasParseError());
  EXPECT_EQ(std::string(d[0].GetString(), d[0].GetStringLength()), text);
}

// Strings are escaped sixteen and eight bytes at a time, then byte by byte: every special byte at every
// position of strings up to 40 bytes long round-trips, and only special bytes grow the output.
TEST(JsonWriter, EscapesAtEveryPositionOfABlock) {
  for (const char special : {'"', '\\', '\n', '\x1f', '\0'}) {
    for (std::size_t len = 1; len <= 40; ++len) {
      for (std::size_t at = 0; at < len; ++at) {
        std::string text(len, 'a');
        text[len - 1 - (at * 7) % len] = '\xc3';  // a UTF-8 lead byte is never escaped
        text[at] = special;
        std::string out;
        {
          JsonWriter w(out);
          w.String(text);
        }
        const std::size_t grown = special == '\x1f' || special == '\0' ? 5 : 1;
        ASSERT_EQ(out.size(), text.size() + 2 + grown) << out;
        rapidjson::Document d = test::Json("[" + out + "]");
        ASSERT_FALSE(d.HasParseError()) << out;
        ASSERT_EQ(std::string(d[0].GetString(), d[0].GetStringLength()), text) << len << " " << at;
      }
    }
  }
}

TEST(JsonWriter, ReplacesWhatTheOutputHeld) {
  std::string out = "stale";
  {
    JsonWriter w(out);
    w.StartArray();
    w.EndArray();
  }
  EXPECT_EQ(out, "[]");
}

TEST(JsonWriter, GrowsPastItsInitialBufferAndLongEscapes) {
  std::string out;
  const std::string big(100000, '\n');  // each byte becomes two: well past the first buffer
  {
    JsonWriter w(out);
    w.StartArray();
    w.String(big);
    w.String(std::string(20000, 'x'));
    w.EndArray();
  }
  rapidjson::Document d = test::Json(out);
  ASSERT_FALSE(d.HasParseError());
  EXPECT_EQ(std::string(d[0].GetString(), d[0].GetStringLength()), big);
  EXPECT_EQ(d[1].GetStringLength(), 20000u);
}

}  // namespace
}  // namespace cds::hooks
