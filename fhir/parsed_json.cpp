// ParsedJson: owns a text buffer and the DOM parsed in place over it.
#include "fhir/parsed_json.h"

#include <fstream>
#include <sstream>

#include "fhir/json_document.h"

namespace cds::fhir {

struct ParsedJson::Impl {
  std::string text;  // the DOM's strings point into this buffer (in-situ parse): it must not move
  rapidjson::Document doc;
};

ParsedJson::ParsedJson(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ParsedJson::ParsedJson(ParsedJson&&) noexcept = default;
ParsedJson& ParsedJson::operator=(ParsedJson&&) noexcept = default;
ParsedJson::~ParsedJson() = default;

const JsonNode* ParsedJson::root() const { return Node(impl_->doc); }

Result<ParsedJson> ParsedJson::Parse(std::string text) {
  auto impl = std::make_unique<Impl>();
  impl->text = std::move(text);
  auto parsed = ParseInsitu(impl->text, impl->doc);
  if (!parsed) return parsed.error();
  return ParsedJson(std::move(impl));
}

Result<ParsedJson> ParsedJson::ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorKind::kBadRequest, path + ": cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  auto parsed = Parse(ss.str());
  if (!parsed) return MakeError(ErrorKind::kBadRequest, path + ": " + parsed.error().message);
  return parsed;
}

}  // namespace cds::fhir
