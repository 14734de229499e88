// JsonNode accessors over RapidJSON values. Every accessor tolerates a null node and a wrong JSON type,
// because FHIR data from an EHR is untrusted: a wrong type reads as "absent", never as a crash.
#include "fhir/json_document.h"

#include <rapidjson/error/en.h>

#include <emmintrin.h>

#include <cstring>

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

std::string DescribeParseError(rapidjson::ParseErrorCode code, size_t offset) {
  return std::string("Malformed JSON at byte offset ") + std::to_string(offset) + ": " +
         rapidjson::GetParseError_En(code);
}

namespace json {

const JsonNode* Member(const JsonNode* node, std::string_view key) {
  if (node == nullptr) return nullptr;
  const rapidjson::Value& v = Value(node);
  if (!v.IsObject()) return nullptr;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    if (it->name.GetStringLength() == key.size() &&
        std::char_traits<char>::compare(it->name.GetString(), key.data(), key.size()) == 0) {
      return Node(it->value);
    }
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
