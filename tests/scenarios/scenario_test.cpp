// The clinical scenario table (tests/scenarios/scenarios.py → tests/data/scenarios/): each request must
// produce exactly the expected cards — rule, indicator, suggestions — and the same response whether it
// is evaluated in process, POSTed to the real server, or run through `achilles-cds evaluate`.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>

#include "cards/config_reader.h"
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

// source.topic.code is the rule id without its hyphens (TopicCode): back to the rule id the table uses.
std::string RuleOfTopic(const std::string& topic) {
  for (cards::RuleId id : cards::kAllRules) {
    if (cards::TopicCode(id) == topic) return std::string(cards::RuleIdName(id));
  }
  return "(unknown topic " + topic + ")";
}

// The same summary, read from a response: a suggestion is "delete <resourceId>" or "create <type> <system>|<code>",
// followed by " (recommended)" when isRecommended.
std::vector<std::string> Summarise(const std::string& body, std::string& detail_text) {
  rapidjson::Document d = Json(body);
  std::vector<std::string> out;
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("cards")) return {"(not a cards response) " + body};
  for (const auto& card : d["cards"].GetArray()) {
    std::string line = RuleOfTopic(card["source"]["topic"]["code"].GetString()) + " " + card["indicator"].GetString() + ":";
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

// Uuids are fresh per response, and the rule pages are linked under the base each path serves from
// (the test server's Host, evaluate's localhost:8080).
std::string WithoutUuids(const std::string& body) {
  static const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  static const std::regex kBase("\"url\":\"http://[^\"/]+/rules/");
  return std::regex_replace(std::regex_replace(body, kUuid, "UUID"), kBase, "\"url\":\"BASE/rules/");
}

// What a clinician calls an order: its medication or code text, else the first display.
std::string OrderLabel(const rapidjson::Value& order) {
  for (const char* element : {"medicationCodeableConcept", "code", "codeCodeableConcept"}) {
    if (!order.HasMember(element)) continue;
    const auto& cc = order[element];
    if (cc.HasMember("text")) return cc["text"].GetString();
    if (cc.HasMember("coding") && cc["coding"].Size() > 0 && cc["coding"][0].HasMember("display"))
      return cc["coding"][0]["display"].GetString();
  }
  return "";
}

std::string Unescaped(const std::string& markdown) {
  std::string out;
  for (std::size_t i = 0; i < markdown.size(); ++i) {
    if (markdown[i] == '\\' && i + 1 < markdown.size()) ++i;
    out += markdown[i];
  }
  return out;
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

  // A card names the order it concerns (spec.md pitfalls) in the clinician's words: every deleted order's
  // name (up to 60 characters, as the card shortens it) appears in the card text; its id is in the delete.
  static const std::regex kDelete("delete ([A-Za-z]+)/([A-Za-z0-9.-]+)");
  const rapidjson::Document req = Json(request);
  const std::string text = Unescaped(detail);
  for (const std::string& card : expected.cards) {
    for (auto it = std::sregex_iterator(card.begin(), card.end(), kDelete); it != std::sregex_iterator(); ++it) {
      std::string label;
      for (const auto& e : req["context"]["draftOrders"]["entry"].GetArray()) {
        if (e["resource"]["id"] == (*it)[2].str().c_str()) label = OrderLabel(e["resource"]);
      }
      ASSERT_FALSE(label.empty()) << (*it)[0];
      EXPECT_NE(text.find(label.substr(0, 40)), std::string::npos) << label << " not named in the card detail: " << text;
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

// Cards a clinician reads in five seconds: across the whole table the typical detail stays under about 450
// characters and none runs long, no clinician text carries FHIR ids or value-set names, and every summary
// is under 140 characters (CDS Hooks).
TEST(ScenarioTable, CardsAreShortAndInClinicalWords) {
  std::vector<std::size_t> lengths;
  for (const std::string& name : ScenarioNames()) {
    const Expected expected = ReadExpected(name);
    CallResult r = CallService(expected.service, ReadFile(ScenarioDir() + "/" + name + ".request.json"),
                               *fhir::Date::ParseIso(expected.today));
    const rapidjson::Document d = Json(r.body);
    for (const auto& card : d["cards"].GetArray()) {
      const std::string detail = card.HasMember("detail") ? card["detail"].GetString() : "";
      const std::string summary = card["summary"].GetString();
      lengths.push_back(detail.size());
      for (const char* provenance : {"Condition/", "MedicationRequest/", "ServiceRequest/", "value set", "onset 20"}) {
        EXPECT_EQ(detail.find(provenance), std::string::npos) << name << ": \"" << provenance << "\" in " << detail;
      }
      EXPECT_LT(cards::CodePoints(summary), 140u) << name;
      EXPECT_LE(std::count(detail.begin(), detail.end(), '\n'), 12) << name << ": " << detail;
    }
  }
  ASSERT_GT(lengths.size(), 40u);
  std::sort(lengths.begin(), lengths.end());
  const std::size_t median = lengths[lengths.size() / 2];
  std::printf("card detail length over %zu cards: median %zu, max %zu characters\n", lengths.size(), median,
              lengths.back());
  EXPECT_LT(median, 450u);
  EXPECT_LT(lengths.back(), 900u);
}

}  // namespace
}  // namespace cds::test
