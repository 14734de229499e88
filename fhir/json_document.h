// The bridge between RapidJSON and the opaque JsonNode. Only code at the JSON edge (fhir/*.cpp, hooks/)
// includes this header; cards/ sees JsonNode only.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

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

// The byte offset of an escaped low surrogate ("\\udc00") that no high surrogate escape precedes, or npos.
// RapidJSON refuses a high surrogate without its pair but decodes a lone low one into bytes that are not
// UTF-8: such text must never be echoed into a card or an OperationOutcome. One pass over the raw body's
// backslashes (FHIR bodies have few).
std::size_t LoneSurrogateEscape(std::string_view raw);

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

// A member name repeated in one object of a parsed document: RapidJSON keeps both and lookups find the first,
// where most parsers take the last, so {"hook":"order-sign","hook":"patient-view"} would mean one thing to
// us and another to the EHR. One walk over the parsed tree (measured cheaper than tracking names while
// parsing): each object's name lengths go into a 64-bit mask, and only an object with two names of one
// length compares names (pairwise when small, by sorting when large). Returns true and fills `member` and
// `path` (the names of the objects around it, "context.draftOrders") for the first one found.
bool FindDuplicateMember(const rapidjson::Value& root, std::string& member, std::string& path);

// Parses `text` in place into `doc` (the DOM's strings point into it afterwards, so it must outlive `doc`
// and not be resized). On failure the error (kBadRequest) says what is wrong and at which byte offset.
// The SSE2 scanners load aligned 16-byte blocks that may extend past the terminating NUL, so the buffer
// is given 16 bytes of slack first (a no-op when its capacity already allows it).
template <class Doc>
Result<bool> ParseInsitu(std::string& text, Doc& doc) {
  if (!IsValidUtf8(text)) return MakeError(ErrorKind::kBadRequest, "The body is not valid UTF-8 (RFC 8259 §8.1)");
  // The in-situ parser stops at a NUL; JSON never contains a raw one, so refuse it rather than truncate.
  if (text.find('\0') != std::string::npos) return MakeError(ErrorKind::kBadRequest, "The body contains a NUL byte");
  if (const std::size_t at = LoneSurrogateEscape(text); at != std::string::npos) {
    return MakeError(ErrorKind::kBadRequest, "A \\u escape encodes an unpaired UTF-16 surrogate at byte offset " +
                                                 std::to_string(at) + " (RFC 8259 §8.2: not a character)");
  }
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
  std::string member, path;
  if (FindDuplicateMember(doc, member, path)) {
    return MakeError(ErrorKind::kBadRequest,
                     "Member \"" + member + "\" appears twice in one object" +
                         (path.empty() ? std::string(" (the request's top level)") : " of " + path) +
                         ": a repeated member is ambiguous (parsers disagree on which one counts)",
                     path.empty() ? member : path + "." + member);
  }
  return true;
}

}  // namespace cds::fhir
