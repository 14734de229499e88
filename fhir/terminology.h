// All value sets of a configuration, loaded once at start-up from a folder of ValueSet JSON files.
//
//   Terminology t = Terminology::LoadDirectory("config/valuesets");   // throws ConfigError
//   const ValueSet& vs = t.Require("corticosteroid");
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fhir/value_set.h"

namespace cds::fhir {

class Terminology {
 public:
  // Loads every *.json file (sorted by name). Throws ConfigError for an unreadable or invalid file, or
  // two files declaring the same id.
  static Terminology LoadDirectory(const std::string& dir);
  void Add(ValueSet vs, const std::string& file);

  const ValueSet* Find(const std::string& id) const;
  // Find, or ConfigError naming the missing id (used while wiring rules, i.e. at start-up).
  const ValueSet& Require(const std::string& id) const;
  std::vector<std::string> ids() const;

 private:
  std::map<std::string, ValueSet> by_id_;
  std::map<std::string, std::shared_ptr<const TermIndex>> groups_;  // term groups shared across value sets
  std::string dir_;
};

}  // namespace cds::fhir
