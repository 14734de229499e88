// docs/clinical-rules.md documents exactly the configured rules: every rule id in config/rules/ has a
// "## `<id>`" section, and every section is a configured rule.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "cards/rule_id.h"
#include "fhir/parsed_json.h"
#include "tests/support/files.h"

namespace cds::test {
namespace {

std::set<std::string> ConfiguredRuleIds() {
  std::set<std::string> ids;
  for (const auto& entry : std::filesystem::directory_iterator(ConfigDir() + "/rules")) {
    auto doc = fhir::ParsedJson::ReadFile(entry.path().string());
    EXPECT_TRUE(doc.ok()) << entry.path();
    if (doc.ok()) ids.insert(std::string(fhir::json::StringAt(doc->root(), "rule")));
  }
  return ids;
}

std::set<std::string> DocumentedRuleIds() {
  static const std::regex kHeading(R"(^## `([a-z0-9-]+)`)");
  std::set<std::string> ids;
  const std::string doc = ReadFile(SourcePath("docs/clinical-rules.md"));
  std::size_t start = 0;
  while (start < doc.size()) {
    std::size_t end = doc.find('\n', start);
    if (end == std::string::npos) end = doc.size();
    std::smatch m;
    const std::string line = doc.substr(start, end - start);
    if (std::regex_search(line, m, kHeading)) ids.insert(m[1]);
    start = end + 1;
  }
  return ids;
}

TEST(ClinicalRulesDoc, DocumentsExactlyTheConfiguredRules) {
  const auto configured = ConfiguredRuleIds();
  const auto documented = DocumentedRuleIds();
  for (const std::string& id : configured)
    EXPECT_TRUE(documented.count(id)) << id << " is configured but not in docs/clinical-rules.md";
  for (const std::string& id : documented)
    EXPECT_TRUE(configured.count(id)) << id << " is documented but not configured";
  EXPECT_EQ(configured.size(), std::size(cards::kAllRules));
}

}  // namespace
}  // namespace cds::test
