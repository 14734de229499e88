// The clinical scenario table (tests/scenarios/scenarios.py → tests/data/scenarios/): each request must
// produce exactly the expected cards — rule, indicator, suggestions — and the same response whether it
// is evaluated in process, POSTed to the real server, or run through `achilles-cds evaluate`.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>

#include "cards/rule_id.h"
#include "fhir/parsed_json.h"
#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/json.h"
#include "tests/support/process.h"
#include "tests/support/service_calls.h"
#include "tests/support/test_server.h"

namespace cds::test {
namespace {

std::string ScenarioDir() { return SourcePath("tests/data/scenarios"); }

std::vector<std::string> ScenarioNames() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(ScenarioDir())) {
    const std::string file = entry.path().filename().string();
    const std::string suffix = ".expected.json";
    if (file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0) {
      names.push_back(file.substr(0, file.size() - suffix.size()));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct Expected {
  std::string service;
  std::string today;
  std::string reason;
  std::vector<std::string> cards;  // "rule indicator: suggestion; suggestion"
};

Expected ReadExpected(const std::string& name) {
  rapidjson::Document d = Json(ReadFile(ScenarioDir() + "/" + name + ".expected.json"));
  Expected e{d["service"].GetString(), d["today"].GetString(), d["reason"].GetString(), {}};
  for (const auto& card : d["cards"].GetArray()) {
    std::string line = std::string(card["rule"].GetString()) + " " + card["indicator"].GetString() + ":";
    for (const auto& s : card["suggestions"].GetArray()) line += std::string(" ") + s.GetString() + ";";
    e.cards.push_back(line);
  }
  return e;
}

// The same summary, read from a response: a suggestion is "delete <resourceId>" or "create <type> <system>|<code>",
// followed by " (recommended)" when isRecommended.
std::vector<std::string> Summarise(const std::string& body, std::string& detail_text) {
  rapidjson::Document d = Json(body);
  std::vector<std::string> out;
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("cards")) return {"(not a cards response) " + body};
  for (const auto& card : d["cards"].GetArray()) {
    std::string line =
        std::string(card["source"]["topic"]["code"].GetString()) + " " + card["indicator"].GetString() + ":";
    if (card.HasMember("suggestions")) {
      for (const auto& s : card["suggestions"].GetArray()) {
        std::string what;
        for (const auto& a : s["actions"].GetArray()) {
          if (!what.empty()) what += " + ";
          const std::string type = a["type"].GetString();
          if (type == "delete") {
            what += "delete " + std::string(a["resourceId"].GetString());
          } else {
            const auto& r = a["resource"];
            const auto& code = r.HasMember("code") ? r["code"] : r["codeCodeableConcept"];
            what += type + " " + r["resourceType"].GetString() + " " + code["coding"][0]["system"].GetString() + "|" +
                    code["coding"][0]["code"].GetString();
          }
        }
        if (s.HasMember("isRecommended") && s["isRecommended"].GetBool()) what += " (recommended)";
        line += " " + what + ";";
      }
    }
    if (card.HasMember("detail")) detail_text += card["detail"].GetString();
    out.push_back(line);
  }
  return out;
}

std::string WithoutUuids(const std::string& body) {
  static const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  return std::regex_replace(body, kUuid, "UUID");
}

class Scenario : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer(TestSettings(), ConfigDir(), [] { return fhir::Date::FromYmd(2026, 11, 28); });
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer* server_;
};
TestServer* Scenario::server_ = nullptr;

TEST_P(Scenario, GivesTheExpectedCardsEverywhere) {
  const std::string name = GetParam();
  const Expected expected = ReadExpected(name);
  const std::string file = ScenarioDir() + "/" + name + ".request.json";
  const std::string request = ReadFile(file);
  SCOPED_TRACE(name + ": " + expected.reason);
  ASSERT_EQ(expected.today, "2026-11-28") << "the HTTP server in this test is fixed to 2026-11-28";

  CallResult direct = CallService(expected.service, request, *fhir::Date::ParseIso(expected.today));
  ASSERT_EQ(direct.status, 200) << direct.body;
  std::string detail;
  EXPECT_EQ(Summarise(direct.body, detail), expected.cards);

  // A card names the order it concerns (spec.md pitfalls): every deleted order appears in the card text.
  static const std::regex kDelete("delete ([A-Za-z]+/[A-Za-z0-9.-]+)");
  for (const std::string& card : expected.cards) {
    for (auto it = std::sregex_iterator(card.begin(), card.end(), kDelete); it != std::sregex_iterator(); ++it) {
      EXPECT_NE(detail.find((*it)[1].str()), std::string::npos) << (*it)[1] << " not named in the card detail";
    }
  }

  HttpResult http = Post(server_->port(), "/cds-services/" + expected.service, request);
  ASSERT_EQ(http.status, 200) << http.body;
  EXPECT_EQ(WithoutUuids(http.body), WithoutUuids(direct.body)) << "HTTP and in-process responses differ";

  ProcessResult cli =
      RunBinary({"evaluate", "--service", expected.service, "--today", expected.today, "--config", ConfigDir(), file});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(WithoutUuids(cli.out), WithoutUuids(http.body)) << "evaluate and HTTP responses differ";
}

INSTANTIATE_TEST_SUITE_P(Table, Scenario, ::testing::ValuesIn(ScenarioNames()), [](const auto& info) {
  std::string n = info.param;
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
});

TEST(ScenarioTable, CoversEveryRuleWithMostlyNegatives) {
  const auto names = ScenarioNames();
  int quiet = 0;
  std::map<std::string, int> fired;
  for (const std::string& n : names) {
    const Expected e = ReadExpected(n);
    quiet += e.cards.empty();
    for (const std::string& c : e.cards) ++fired[c.substr(0, c.find(' '))];
  }
  EXPECT_GE(names.size(), 80u);
  EXPECT_GE(quiet * 2, static_cast<int>(names.size())) << "at least half the scenarios expect no card";
  for (cards::RuleId id : cards::kAllRules) {
    EXPECT_GE(fired[std::string(cards::RuleIdName(id))], 2) << cards::RuleIdName(id) << " fires in too few scenarios";
  }
}

}  // namespace
}  // namespace cds::test
