// EHR profiles: reading and checking.
#include "hooks/ehr_profile.h"

#include <algorithm>
#include <optional>

#include "cards/config_reader.h"
#include "fhir/parsed_json.h"
#include "fhir/result.h"

namespace cds::hooks {

bool EhrProfile::Allows(const std::vector<std::string>& list, std::string_view type) {
  return list.empty() || std::find(list.begin(), list.end(), type) != list.end();
}

EhrProfile EhrProfile::Load(const std::string& file) {
  auto doc = fhir::ParsedJson::ReadFile(file);
  if (!doc) throw fhir::ConfigError(file, "", doc.error().message);
  cards::ConfigReader r(doc->root(), file);
  EhrProfile p;
  p.name = r.String("profile");
  r.OptionalString("description");
  std::optional<cards::ConfigReader> sources;
  if (r.Has("sources")) sources.emplace(r.Object("sources"));
  // A limit without its source is refused: a profile is a claim about a vendor's documentation.
  auto cited = [&](std::string_view key) {
    if (!sources || !sources->Has(key)) r.Fail(key, "every limit needs a citation in \"sources\"");
    sources->String(key);
  };
  if (r.Has("topicCode")) {
    cited("topicCode");
    cards::ConfigReader t = r.Object("topicCode");
    p.max_topic_code = static_cast<std::size_t>(t.Integer("maxLength", 1, 1000));
    p.topic_code_alphanumeric = t.Bool("alphanumeric", false);
    t.Finish();
  }
  if (r.Has("selectionBehaviors")) {
    cited("selectionBehaviors");
    const std::vector<std::string> s = r.Strings("selectionBehaviors");
    for (const std::string& v : s) {
      if (v != "any" && v != "at-most-one") r.Fail("selectionBehaviors", "must list \"any\" and/or \"at-most-one\"");
    }
    if (std::find(s.begin(), s.end(), "any") == s.end()) r.Fail("selectionBehaviors", "must include \"any\"");
    p.selection_any_only = std::find(s.begin(), s.end(), "at-most-one") == s.end();
  }
  if (r.Has("create")) {
    cited("create");
    p.create = r.Strings("create");
  }
  if (r.Has("delete")) {
    cited("delete");
    p.remove = r.Strings("delete");
  }
  if (r.Has("maxActionsPerSuggestion")) {
    cited("maxActionsPerSuggestion");
    p.max_actions_per_suggestion = static_cast<std::size_t>(r.Integer("maxActionsPerSuggestion", 1, 100));
  }
  if (sources) sources->Finish();
  r.Finish();
  return p;
}

void EhrProfile::Check(const std::string& file) const {
  for (cards::RuleId id : cards::kAllRules) {
    const std::string code = cards::TopicCode(id);
    if (max_topic_code != 0 && code.size() > max_topic_code)
      throw fhir::ConfigError(file, "topicCode.maxLength", "rule " + std::string(cards::RuleIdName(id)) +
                                                              "'s topic code \"" + code + "\" is longer");
    if (topic_code_alphanumeric && !std::all_of(code.begin(), code.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        })) {
      throw fhir::ConfigError(file, "topicCode.alphanumeric", "topic code \"" + code + "\" is not alphanumeric");
    }
  }
}

}  // namespace cds::hooks
