// JsonNode accessors over RapidJSON values. Every accessor tolerates a null node and a wrong JSON type,
// because FHIR data from an EHR is untrusted: a wrong type reads as "absent", never as a crash.
#include "fhir/json_document.h"

#include <rapidjson/error/en.h>

#include "fhir/json_node.h"

namespace cds::fhir {

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
