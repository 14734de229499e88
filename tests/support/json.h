// Parsing JSON in tests. RapidJSON's SSE2 scanners load aligned 16-byte blocks that may extend past the
// end of the text, so the text is copied into a buffer with slack first (see fhir::ParseInsitu).
#pragma once

#include <string>

#include "fhir/json_document.h"

namespace cds::test {

inline rapidjson::Document Json(const std::string& text) {
  std::string padded;
  padded.reserve(text.size() + 16);
  padded = text;
  rapidjson::Document d;
  d.Parse(padded.c_str());  // strings are copied into the document: `padded` may go
  return d;
}

}  // namespace cds::test
