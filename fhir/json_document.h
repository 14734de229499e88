// The bridge between RapidJSON and the opaque JsonNode. Only code at the JSON edge (fhir/*.cpp, hooks/)
// includes this header; cards/ sees JsonNode only.
#pragma once

#include <algorithm>
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

// True when a decoded string holds a UTF-16 surrogate (U+D800–U+DFFF, UTF-8 ED A0–ED BF). The body is
// checked to be valid UTF-8 before parsing, so such bytes can only come from an unpaired "\\udc00" escape,
// which RapidJSON decodes without complaint: it must never be echoed as invalid UTF-8.
inline bool HasSurrogate(const char* s, std::size_t n) {
  const char* p = s;
  const char* end = s + n;
  while ((p = static_cast<const char*>(std::memchr(p, '\xED', static_cast<std::size_t>(end - p)))) != nullptr) {
    if (p + 1 < end && (static_cast<unsigned char>(p[1]) & 0xE0) == 0xA0) return true;
    ++p;
  }
  return false;
}

// Forwards parse events to a document, refusing what a parser differential could exploit: nesting deeper
// than kMaxJsonDepth, a member name repeated in one object (RapidJSON would keep both and lookups find the
// first, where most parsers take the last: {"hook":"order-sign","hook":"patient-view"} must not mean one
// thing to us and another to the EHR), and unpaired surrogate escapes. Duplicate detection is linear: a
// small object compares its names pairwise, a large one sorts them.
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
  bool String(const Ch* s, rapidjson::SizeType n, bool copy) {
    if (HasSurrogate(s, n)) return Fail(Problem::kSurrogate);
    return doc_.String(s, n, copy);
  }
  bool Key(const Ch* s, rapidjson::SizeType n, bool copy) {
    if (HasSurrogate(s, n)) return Fail(Problem::kSurrogate);
    keys_.emplace_back(s, n);
    return doc_.Key(s, n, copy);
  }
  bool StartObject() {
    if (++depth_ > kMaxJsonDepth) return Fail(Problem::kTooDeep);
    Open(/*array=*/false);
    return doc_.StartObject();
  }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    const std::size_t start = frames_.back().keys;
    if (HasDuplicate(start)) return Fail(Problem::kDuplicate);
    keys_.resize(start);
    frames_.pop_back();
    return doc_.EndObject(n);
  }
  bool StartArray() {
    if (++depth_ > kMaxJsonDepth) return Fail(Problem::kTooDeep);
    Open(/*array=*/true);
    return doc_.StartArray();
  }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    frames_.pop_back();
    return doc_.EndArray(n);
  }

  enum class Problem { kNone, kTooDeep, kDuplicate, kSurrogate };
  Problem problem() const { return problem_; }
  // The repeated member and the names of the objects around it ("context.draftOrders"), for kDuplicate.
  const std::string& duplicate() const { return duplicate_; }
  const std::string& duplicate_path() const { return duplicate_path_; }

 private:
  struct Frame {
    std::size_t keys;             // index in keys_ of this object's first member name
    std::string_view parent_key;  // the member this object or array is the value of ("" in an array)
    bool array;
  };

  void Open(bool array) {
    std::string_view parent;
    // Inside an object, the last member name read is the name of this value.
    if (!frames_.empty() && !frames_.back().array && keys_.size() > frames_.back().keys) parent = keys_.back();
    frames_.push_back(Frame{keys_.size(), parent, array});
  }

  bool HasDuplicate(std::size_t start) {
    const std::size_t n = keys_.size() - start;
    if (n < 2) return false;
    if (n <= 16) {
      for (std::size_t i = start; i < keys_.size(); ++i) {
        for (std::size_t j = i + 1; j < keys_.size(); ++j) {
          if (keys_[i] == keys_[j]) return Found(keys_[i]);
        }
      }
      return false;
    }
    scratch_.assign(keys_.begin() + static_cast<std::ptrdiff_t>(start), keys_.end());
    std::sort(scratch_.begin(), scratch_.end());
    for (std::size_t i = 1; i < scratch_.size(); ++i) {
      if (scratch_[i] == scratch_[i - 1]) return Found(scratch_[i]);
    }
    return false;
  }
  bool Found(std::string_view key) {
    duplicate_.assign(key.data(), key.size());
    duplicate_path_.clear();
    for (const Frame& f : frames_) {
      if (f.parent_key.empty()) continue;
      if (!duplicate_path_.empty()) duplicate_path_ += '.';
      duplicate_path_.append(f.parent_key.data(), f.parent_key.size());
    }
    return true;
  }
  bool Fail(Problem p) {
    problem_ = p;
    return false;
  }

  Doc& doc_;
  unsigned depth_ = 0;
  Problem problem_ = Problem::kNone;
  std::vector<std::string_view> keys_;  // member names of every open object, innermost last
  std::vector<Frame> frames_;
  std::vector<std::string_view> scratch_;
  std::string duplicate_, duplicate_path_;
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
  typename DepthGuard<Doc>::Problem problem = DepthGuard<Doc>::Problem::kNone;
  std::string duplicate, duplicate_path;
  auto generator = [&](Doc& handler) {
    rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>> reader;
    rapidjson::InsituStringStream stream(text.data());
    DepthGuard<Doc> guard(handler);
    result = reader.template Parse<kUntrustedParseFlags>(stream, guard);
    problem = guard.problem();
    duplicate = guard.duplicate();
    duplicate_path = guard.duplicate_path();
    return !result.IsError();
  };
  doc.Populate(generator);
  const std::string at = " at byte offset " + std::to_string(result.Offset());
  switch (problem) {
    case DepthGuard<Doc>::Problem::kTooDeep:
      return MakeError(ErrorKind::kBadRequest, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels" + at);
    case DepthGuard<Doc>::Problem::kDuplicate:
      return MakeError(ErrorKind::kBadRequest,
                       "Member \"" + duplicate + "\" appears twice in one object" +
                           (duplicate_path.empty() ? std::string(" (the request's top level)") : " of " + duplicate_path) +
                           at + ": a repeated member is ambiguous (parsers disagree on which one counts)",
                       duplicate_path.empty() ? duplicate : duplicate_path + "." + duplicate);
    case DepthGuard<Doc>::Problem::kSurrogate:
      return MakeError(ErrorKind::kBadRequest,
                       "A \\u escape encodes an unpaired UTF-16 surrogate" + at + " (RFC 8259 §8.2: not a character)");
    case DepthGuard<Doc>::Problem::kNone: break;
  }
  if (result.IsError()) return MakeError(ErrorKind::kBadRequest, DescribeParseError(result.Code(), result.Offset()));
  return true;
}

}  // namespace cds::fhir
