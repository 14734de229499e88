// The bridge between RapidJSON and the opaque JsonNode. Only code at the JSON edge (fhir/*.cpp, hooks/)
// includes this header; cards/ sees JsonNode only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// RAPIDJSON_SSE2 and RAPIDJSON_HAS_STDSTRING are set for every target in fhir/CMakeLists.txt, so all
// translation units see the same RapidJSON.
#include <rapidjson/document.h>

#include "fhir/json_node.h"
#include "fhir/result.h"

namespace cds::fhir {

inline const JsonNode* Node(const rapidjson::Value& v) { return reinterpret_cast<const JsonNode*>(&v); }
inline const rapidjson::Value& Value(const JsonNode* n) { return *reinterpret_cast<const rapidjson::Value*>(n); }

// Parser flags for untrusted input: in situ (strings point into the caller's buffer: no copies). The
// recursive parser is used for speed; its recursion is bounded by DepthGuard below, and UTF-8 is checked
// in one pass before parsing (IsValidUtf8), which is cheaper than the parser's per-string validation.
constexpr unsigned kUntrustedParseFlags = rapidjson::kParseInsituFlag;
constexpr unsigned kMaxJsonDepth = 256;  // FHIR resources nest a dozen levels; this bounds the parser's stack

// True when `text` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view text);

std::string DescribeParseError(rapidjson::ParseErrorCode code, size_t offset);

// Forwards parse events to a document, refusing nesting deeper than kMaxJsonDepth.
template <class Doc>
class DepthGuard {
 public:
  using Ch = char;
  explicit DepthGuard(Doc& doc) : doc_(doc) {}
  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned i) { return doc_.Uint(i); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t i) { return doc_.Uint64(i); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const Ch* s, rapidjson::SizeType n, bool copy) { return doc_.RawNumber(s, n, copy); }
  bool String(const Ch* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool Key(const Ch* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool StartObject() { return ++depth_ <= kMaxJsonDepth && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndObject(n);
  }
  bool StartArray() { return ++depth_ <= kMaxJsonDepth && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndArray(n);
  }
  bool too_deep() const { return depth_ > kMaxJsonDepth; }

 private:
  Doc& doc_;
  unsigned depth_ = 0;
};

// Parses `text` in place into `doc` (the DOM's strings point into it afterwards, so it must outlive `doc`
// and not be resized). On failure the error (kBadRequest) says what is wrong and at which byte offset.
// The SSE2 scanners load aligned 16-byte blocks that may extend past the terminating NUL, so the buffer
// is given 16 bytes of slack first (a no-op when its capacity already allows it).
template <class Doc>
Result<bool> ParseInsitu(std::string& text, Doc& doc) {
  if (!IsValidUtf8(text)) return MakeError(ErrorKind::kBadRequest, "The body is not valid UTF-8 (RFC 8259 §8.1)");
  // The in-situ parser stops at a NUL; JSON never contains a raw one, so refuse it rather than truncate.
  if (text.find('\0') != std::string::npos) return MakeError(ErrorKind::kBadRequest, "The body contains a NUL byte");
  text.reserve(text.size() + 16);
  rapidjson::ParseResult result;
  bool too_deep = false;
  auto generator = [&](Doc& handler) {
    rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>> reader;
    rapidjson::InsituStringStream stream(text.data());
    DepthGuard<Doc> guard(handler);
    result = reader.template Parse<kUntrustedParseFlags>(stream, guard);
    too_deep = guard.too_deep();
    return !result.IsError();
  };
  doc.Populate(generator);
  if (too_deep) {
    return MakeError(ErrorKind::kBadRequest, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                                 " levels at byte offset " + std::to_string(result.Offset()));
  }
  if (result.IsError()) return MakeError(ErrorKind::kBadRequest, DescribeParseError(result.Code(), result.Offset()));
  return true;
}

}  // namespace cds::fhir
