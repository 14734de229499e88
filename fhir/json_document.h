// The bridge between RapidJSON and the opaque JsonNode. Only code at the JSON edge (fhir/*.cpp, hooks/)
// includes this header; cards/ sees JsonNode only.
#pragma once

#include <string>

#define RAPIDJSON_HAS_STDSTRING 1
#ifndef RAPIDJSON_SSE2
#define RAPIDJSON_SSE2 1  // every x86-64 CPU has SSE2; speeds whitespace skipping
#endif
#include <rapidjson/document.h>

#include "fhir/json_node.h"
#include "fhir/result.h"

namespace cds::fhir {

inline const JsonNode* Node(const rapidjson::Value& v) { return reinterpret_cast<const JsonNode*>(&v); }
inline const rapidjson::Value& Value(const JsonNode* n) { return *reinterpret_cast<const rapidjson::Value*>(n); }

// Parser flags for untrusted input: iterative (no stack overflow on deep nesting), UTF-8 validated,
// in situ (strings point into the caller's buffer: no copies). Trailing garbage is an error.
constexpr unsigned kUntrustedParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag | rapidjson::kParseInsituFlag;

// Parses the NUL-terminated, writable `text` in place into `doc`. On failure the error (kBadRequest) says
// what is wrong and at which byte offset.
template <class Doc>
Result<bool> ParseInsitu(char* text, Doc& doc);

std::string DescribeParseError(rapidjson::ParseErrorCode code, size_t offset);

template <class Doc>
Result<bool> ParseInsitu(char* text, Doc& doc) {
  doc.template ParseInsitu<kUntrustedParseFlags>(text);
  if (doc.HasParseError()) {
    return MakeError(ErrorKind::kBadRequest, DescribeParseError(doc.GetParseError(), doc.GetErrorOffset()));
  }
  return true;
}

}  // namespace cds::fhir
