// JsonNode accessors over RapidJSON values. Every accessor tolerates a null node and a wrong JSON type,
// because FHIR data from an EHR is untrusted: a wrong type reads as "absent", never as a crash.
#include "fhir/json_document.h"

#include <rapidjson/error/en.h>

#include <emmintrin.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "fhir/json_node.h"

namespace cds::fhir {

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    // ASCII fast path: sixteen bytes at a time (SSE2 is part of x86-64).
    if (end - p >= 16) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      if (_mm_movemask_epi8(block) == 0) {
        p += 16;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    p += n + 1;
  }
  return true;
}

std::size_t LoneSurrogateEscape(std::string_view raw) {
  auto hex = [&](std::size_t at, unsigned& v) {
    if (at + 4 > raw.size()) return false;
    v = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
      const char c = raw[i];
      const unsigned d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
      if (d == 16) return false;
      v = v * 16 + d;
    }
    return true;
  };
  std::size_t pos = 0, high_end = std::string_view::npos;  // where the last high-surrogate escape ended
  while (pos < raw.size()) {
    const void* hit = std::memchr(raw.data() + pos, '\\', raw.size() - pos);
    if (hit == nullptr) break;
    const std::size_t start = static_cast<const char*>(hit) - raw.data();
    std::size_t end = start;
    while (end < raw.size() && raw[end] == '\\') ++end;
    pos = end;
    // An even run is escaped backslashes; an odd run ends in an escape of the character after it.
    if ((end - start) % 2 == 0 || end >= raw.size() || raw[end] != 'u') continue;
    unsigned v;
    if (!hex(end + 1, v)) continue;  // malformed: the parser reports it
    const std::size_t escape = end - 1;
    pos = end + 5;
    if (v >= 0xD800 && v <= 0xDBFF) {
      high_end = pos;
    } else if (v >= 0xDC00 && v <= 0xDFFF) {
      if (high_end != escape) return escape;
      high_end = std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

namespace {

using Name = std::string_view;

Name NameOf(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Which name of `obj` appears twice (called only when two of its names have lengths alike mod 64).
bool RepeatedName(const rapidjson::Value& obj, std::string& member) {
  const auto begin = obj.MemberBegin(), end = obj.MemberEnd();
  if (end - begin <= 16) {  // only a name whose length came before is compared with the earlier names
    uint64_t lengths = 0;
    for (auto a = begin; a != end; ++a) {
      const rapidjson::SizeType len = a->name.GetStringLength();
      const uint64_t bit = uint64_t{1} << (len & 63u);
      if ((lengths & bit) != 0) {
        for (auto b = begin; b != a; ++b) {
          if (b->name.GetStringLength() == len && NameOf(a->name) == NameOf(b->name)) {
            member = std::string(NameOf(a->name));
            return true;
          }
        }
      }
      lengths |= bit;
    }
    return false;
  }
  thread_local std::vector<Name> names;
  names.clear();
  for (auto a = begin; a != end; ++a) names.push_back(NameOf(a->name));
  std::sort(names.begin(), names.end());
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (names[i] == names[i - 1]) {
      member = std::string(names[i]);
      return true;
    }
  }
  return false;
}

bool IsContainer(const rapidjson::Value& v) {
  const rapidjson::Type t = v.GetType();
  return t == rapidjson::kObjectType || t == rapidjson::kArrayType;
}

// Depth-first over an explicit stack, one pass per object: the object holding a repeated name, or nullptr.
// FHIR objects rarely have two names of one length, so a 64-bit mask of name lengths filters without
// reading a name's bytes; only a length seen twice compares names.
const rapidjson::Value* Walk(const rapidjson::Value& root, std::string& member) {
  thread_local std::vector<const rapidjson::Value*> stack;
  stack.clear();
  stack.push_back(&root);
  while (!stack.empty()) {
    const rapidjson::Value& v = *stack.back();
    stack.pop_back();
    if (v.GetType() == rapidjson::kObjectType) {
      uint64_t lengths = 0;
      bool alike = false;
      for (auto m = v.MemberBegin(), end = v.MemberEnd(); m != end; ++m) {
        const uint64_t bit = uint64_t{1} << (m->name.GetStringLength() & 63u);
        alike |= (lengths & bit) != 0;
        lengths |= bit;
        if (IsContainer(m->value)) stack.push_back(&m->value);
      }
      if (alike && RepeatedName(v, member)) return &v;
    } else {
      for (const rapidjson::Value *e = v.Begin(), *end = v.End(); e != end; ++e) {
        if (IsContainer(*e)) stack.push_back(e);
      }
    }
  }
  return nullptr;
}

// The member names leading from `v` to `target` (walked only once a duplicate was found).
bool PathTo(const rapidjson::Value& v, const rapidjson::Value* target, std::vector<Name>& path) {
  if (&v == target) return true;
  if (v.IsObject()) {
    for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
      path.push_back(NameOf(m->name));
      if (PathTo(m->value, target, path)) return true;
      path.pop_back();
    }
  } else if (v.IsArray()) {
    for (const rapidjson::Value& e : v.GetArray()) {
      if (PathTo(e, target, path)) return true;
    }
  }
  return false;
}

}  // namespace

bool FindDuplicateMember(const rapidjson::Value& root, std::string& member, std::string& path) {
  if (!IsContainer(root)) return false;
  const rapidjson::Value* found = Walk(root, member);
  if (found == nullptr) return false;
  std::vector<Name> names;
  PathTo(root, found, names);
  path.clear();
  for (Name n : names) path.append(path.empty() ? "" : ".").append(n);
  return true;
}

std::string DescribeParseError(rapidjson::ParseErrorCode code, size_t offset) {
  return std::string("Malformed JSON at byte offset ") + std::to_string(offset) + ": " +
         rapidjson::GetParseError_En(code);
}

namespace {

template <typename Word>
Word Load(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Equal bytes, for short strings of known equal length: two overlapping loads of the widest word that
// fits (every read within the n bytes), so a name of 4 to 16 bytes costs two or four compares.
bool SameBytes(const char* a, const char* b, std::size_t n) {
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (Load<uint64_t>(a + i) != Load<uint64_t>(b + i)) return false;
    }
    return Load<uint64_t>(a + n - 8) == Load<uint64_t>(b + n - 8);
  }
  if (n >= 4) return Load<uint32_t>(a) == Load<uint32_t>(b) && Load<uint32_t>(a + n - 4) == Load<uint32_t>(b + n - 4);
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

namespace json {

const JsonNode* Member(const JsonNode* node, std::string_view key) {
  if (node == nullptr) return nullptr;
  const rapidjson::Value& v = Value(node);
  if (!v.IsObject()) return nullptr;
  // The hottest lookup of the pipeline: FHIR member names are short, so the length is compared, then the
  // bytes inline, a word at a time (a memcmp call per candidate cost more than the comparison).
  const std::size_t n = key.size();
  for (auto it = v.MemberBegin(), end = v.MemberEnd(); it != end; ++it) {
    if (it->name.GetStringLength() == n && SameBytes(it->name.GetString(), key.data(), n)) return Node(it->value);
  }
  return nullptr;
}

bool IsObject(const JsonNode* n) { return n != nullptr && Value(n).IsObject(); }
bool IsArray(const JsonNode* n) { return n != nullptr && Value(n).IsArray(); }
bool IsString(const JsonNode* n) { return n != nullptr && Value(n).IsString(); }
bool IsNull(const JsonNode* n) { return n != nullptr && Value(n).IsNull(); }
bool IsNumber(const JsonNode* n) { return n != nullptr && Value(n).IsNumber(); }
bool IsBool(const JsonNode* n) { return n != nullptr && Value(n).IsBool(); }

std::string_view String(const JsonNode* n) {
  if (n == nullptr || !Value(n).IsString()) return {};
  return {Value(n).GetString(), Value(n).GetStringLength()};
}

std::optional<double> Number(const JsonNode* n) {
  if (n == nullptr || !Value(n).IsNumber()) return std::nullopt;
  return Value(n).GetDouble();
}

std::optional<bool> Bool(const JsonNode* n) {
  if (n == nullptr || !Value(n).IsBool()) return std::nullopt;
  return Value(n).GetBool();
}

std::size_t Size(const JsonNode* n) {
  if (n == nullptr || !Value(n).IsArray()) return 0;
  return Value(n).Size();
}

const JsonNode* At(const JsonNode* n, std::size_t i) { return Node(Value(n)[static_cast<rapidjson::SizeType>(i)]); }

std::size_t MemberCount(const JsonNode* n) {
  if (n == nullptr || !Value(n).IsObject()) return 0;
  return Value(n).MemberCount();
}

std::pair<std::string_view, const JsonNode*> MemberAt(const JsonNode* n, std::size_t i) {
  auto it = Value(n).MemberBegin() + static_cast<std::ptrdiff_t>(i);
  return {std::string_view(it->name.GetString(), it->name.GetStringLength()), Node(it->value)};
}

}  // namespace json
}  // namespace cds::fhir
