// A JSON text parsed once and owned together with its source, for configuration and value-set files and
// for tests. Views (`JsonNode*`) into it stay valid while the ParsedJson lives; it is movable, not copyable.
//
//   auto doc = ParsedJson::ReadFile("config/rules/steroid-injection.json");
//   if (!doc) fail(doc.error().message);
//   const JsonNode* root = doc->root();
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fhir/json_node.h"
#include "fhir/result.h"

namespace cds::fhir {

class ParsedJson {
 public:
  // Parses `text` (RFC 8259, UTF-8 validated, no recursion limit issues: the parser is iterative).
  static Result<ParsedJson> Parse(std::string text);
  // Reads and parses a file; the error names the file, and the offset for a syntax error.
  static Result<ParsedJson> ReadFile(const std::string& path);

  ParsedJson(ParsedJson&&) noexcept;
  ParsedJson& operator=(ParsedJson&&) noexcept;
  ~ParsedJson();

  const JsonNode* root() const;

 private:
  struct Impl;
  explicit ParsedJson(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The *.json files of a folder, sorted by name; an error naming the folder (or the entry) when it cannot
// be listed: missing, not a folder, a symlink loop, no permission. Never throws.
Result<std::vector<std::string>> ListJsonFiles(const std::string& dir);

}  // namespace cds::fhir
