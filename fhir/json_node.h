// Read-only access to a node of a parsed JSON document through an opaque pointer, so that FHIR views,
// facts and rules never see the parser's types. A null node means "absent"; every accessor accepts it.
//
//   const JsonNode* status = json::Member(resource, "status");
//   if (json::String(status) == "draft") ...
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace cds::fhir {

class JsonNode;  // opaque: a RapidJSON value inside a document that outlives every view of it

namespace json {

// Member `key` of an object; nullptr when the node is null, not an object, or has no such member.
const JsonNode* Member(const JsonNode* node, std::string_view key);

bool IsObject(const JsonNode* node);
bool IsArray(const JsonNode* node);
bool IsString(const JsonNode* node);
bool IsNull(const JsonNode* node);  // present and JSON null (false for an absent node)
bool IsNumber(const JsonNode* node);
bool IsBool(const JsonNode* node);

std::string_view String(const JsonNode* node);  // "" unless a string
std::optional<double> Number(const JsonNode* node);
std::optional<bool> Bool(const JsonNode* node);

std::size_t Size(const JsonNode* node);                   // elements of an array, else 0
const JsonNode* At(const JsonNode* node, std::size_t i);  // i < Size(node)

std::size_t MemberCount(const JsonNode* node);  // members of an object, else 0
std::pair<std::string_view, const JsonNode*> MemberAt(const JsonNode* node, std::size_t i);

// String(Member(node, key)): the common case of reading a primitive FHIR element.
inline std::string_view StringAt(const JsonNode* node, std::string_view key) { return String(Member(node, key)); }

}  // namespace json
}  // namespace cds::fhir
