// ParsedJson: owns a text buffer and the DOM parsed in place over it.
#include "fhir/parsed_json.h"

#include <algorithm>
#include <filesystem>
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

Result<std::vector<std::string>> ListJsonFiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return MakeError(ErrorKind::kBadRequest, dir + ": " + (ec ? ec.message() : std::string("folder not found")));
  }
  std::vector<std::string> files;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() != ".json") continue;
    // A symlink loop or a dangling link among the files is that file's problem: report it by name.
    std::error_code file_ec;
    const bool regular = fs::is_regular_file(p, file_ec);
    if (file_ec || !regular) {
      return MakeError(ErrorKind::kBadRequest,
                       p.string() + ": " + (file_ec ? file_ec.message() : std::string("not a regular file")));
    }
    files.push_back(p.string());
  }
  if (ec) return MakeError(ErrorKind::kBadRequest, dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace cds::fhir
