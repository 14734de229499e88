// What an EHR accepts in a card, where it is stricter than CDS Hooks 2.0 (config/ehr-profiles/<name>.json,
// selected by server.json "ehrProfile"). The defaults every EHR accepts are chosen in the cards themselves
// (alphanumeric topic codes, selectionBehavior "any", ServiceRequest proposals); a profile removes what its
// EHR cannot show, so a site running Epic gets only cards Epic can show. Every limit cites its source.
//
//   EhrProfile p = EhrProfile::Load("config/ehr-profiles/epic.json");   // throws ConfigError
//   if (!p.AllowsDelete("DeviceRequest")) ...
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cards/rule_id.h"

namespace cds::hooks {

struct EhrProfile {
  std::string name = "generic";
  std::size_t max_topic_code = 0;       // 0 = no limit
  bool topic_code_alphanumeric = false;  // letters and digits only
  bool selection_any_only = false;       // selectionBehavior "any" only
  std::vector<std::string> create;       // resource types a create action may carry; empty = any
  std::vector<std::string> remove;       // resource types a delete action may name; empty = any
  std::size_t max_actions_per_suggestion = 0;  // 0 = no limit

  bool AllowsCreate(std::string_view type) const { return Allows(create, type); }
  bool AllowsDelete(std::string_view type) const { return Allows(remove, type); }

  // Reads a profile file. Throws ConfigError naming the file and field; every limit needs a "sources" entry.
  static EhrProfile Load(const std::string& file);
  // Throws ConfigError when a card could never be shown under this profile (a rule's topic code).
  void Check(const std::string& file) const;

 private:
  static bool Allows(const std::vector<std::string>& list, std::string_view type);
};

}  // namespace cds::hooks
