// Terminology: the value-set registry.
#include "fhir/terminology.h"


#include "fhir/parsed_json.h"
#include "fhir/result.h"

namespace cds::fhir {

Terminology Terminology::LoadDirectory(const std::string& dir) {
  auto files = ListJsonFiles(dir);
  if (!files) throw ConfigError(dir, "", "value-set folder unreadable: " + files.error().message);
  Terminology t;
  t.dir_ = dir;
  for (const std::string& path : *files) {
    auto doc = ParsedJson::ReadFile(path);
    if (!doc) throw ConfigError(path, "", doc.error().message);
    t.Add(ValueSet::FromJson(doc->root(), path), path);
  }
  return t;
}

void Terminology::Add(ValueSet vs, const std::string& file) {
  const std::string id = vs.id();
  vs.ShareGroups(groups_);
  if (!by_id_.emplace(id, std::move(vs)).second)
    throw ConfigError(file, "id", "value set id \"" + id + "\" is declared twice");
}

const ValueSet* Terminology::Find(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

const ValueSet& Terminology::Require(const std::string& id) const {
  const ValueSet* vs = Find(id);
  if (vs == nullptr) throw ConfigError(dir_.empty() ? "value sets" : dir_, id, "required value set is missing");
  return *vs;
}

std::vector<std::string> Terminology::ids() const {
  std::vector<std::string> out;
  for (const auto& [id, vs] : by_id_) out.push_back(id);
  return out;
}

}  // namespace cds::fhir
