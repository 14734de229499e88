// hooks/card_writer.cpp: response shape per CDS Hooks 2.0.1 §CDS Service Response.
#include "hooks/card_writer.h"

#include <gtest/gtest.h>

#include <set>

#include "cards/card_settings.h"
#include "fhir/json_document.h"
#include "hooks/uuid.h"
#include "tests/support/json.h"
#include "tests/support/recorder.h"

namespace cds::hooks {
namespace {

using namespace cds::cards;

// Settings with only what a card must have: a summary and a source label.
const CardSettings& MinimalSettings() {
  static const CardSettings s = [] {
    CardSettings c;
    c.summary = "s";
    c.source.label = "label";
    return c;
  }();
  return s;
}

Card MinimalCard() { return NewCard(RuleId::kEccentricRehab, MinimalSettings(), Indicator::kWarning); }

rapidjson::Document Write(const std::vector<Card>& cards, std::string& out) {
  WriteCardsResponse(cards, out);
  test::RecordResponse("cards", 200, out);
  rapidjson::Document d = test::Json(out);
  EXPECT_FALSE(d.HasParseError()) << out;
  return d;
}

TEST(CardWriter, NoAdviceIsAnEmptyCardsArray) {
  std::string out;
  WriteCardsResponse({}, out);
  EXPECT_EQ(out, R"({"cards":[]})");
}

// "optional members omitted, never null, "" or []" (spec.md checklist 2).
TEST(CardWriter, OmitsEmptyOptionalMembers) {
  std::string out;
  auto d = Write({MinimalCard()}, out);
  const auto& card = d["cards"][0];
  for (const char* absent : {"detail", "suggestions", "selectionBehavior", "overrideReasons", "links"}) {
    EXPECT_FALSE(card.HasMember(absent)) << absent;
  }
  EXPECT_FALSE(card["source"].HasMember("url"));
  EXPECT_FALSE(card["source"].HasMember("topic"));
  EXPECT_TRUE(IsUuid(card["uuid"].GetString()));
  EXPECT_STREQ(card["indicator"].GetString(), "warning");
}

TEST(CardWriter, FreshUuidsForEveryCardAndSuggestion) {
  Card c = MinimalCard();
  Suggestion s;
  s.label = "x";
  s.actions.push_back(Action{ActionType::kDelete, "remove", std::nullopt, "MedicationRequest", "1"});
  c.suggestions = {s, s};
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    std::string out;
    auto d = Write({c, c}, out);
    for (const auto& card : d["cards"].GetArray()) {
      ids.insert(card["uuid"].GetString());
      for (const auto& sg : card["suggestions"].GetArray()) ids.insert(sg["uuid"].GetString());
    }
  }
  EXPECT_EQ(ids.size(), 18u);
}

TEST(CardWriter, WritesActionsPerTheInvariants) {
  CardSettings settings = MinimalSettings();
  settings.detail = "Configured text.";
  settings.override_reasons = {CodingValue{"sys", "code", "Display"}};
  settings.links = {Link{"Guideline", "https://example.org/g", LinkType::kAbsolute, ""}};
  Card c = NewCard(RuleId::kSteroidInjection, settings, Indicator::kCritical);
  c.detail = "Why it fired.\n\n";
  Suggestion del;
  del.label = "Remove";
  del.recommended = true;
  del.actions.push_back(Action{ActionType::kDelete, "Remove the order", std::nullopt, "MedicationRequest", "inj-1"});
  OrderTemplate referral{ProposalKind::kServiceRequest,
                         CodingValue{"http://snomed.info/sct", "308447003", "Referral to physiotherapist"}, "Referral",
                         ""};
  ProposedOrder p;
  p.order = &referral;
  p.patient_id = "pat-1";
  p.condition_ids = {"c1"};
  Suggestion create;
  create.label = "Refer";
  create.actions.push_back(Action{ActionType::kCreate, "Create a referral", p, {}, {}});
  c.suggestions = {del, create};
  c.selection = SelectionBehavior::kAtMostOne;
  std::string out;
  auto d = Write({c}, out);
  const auto& card = d["cards"][0];
  EXPECT_STREQ(card["selectionBehavior"].GetString(), "at-most-one");
  const auto& d0 = card["suggestions"][0];
  EXPECT_TRUE(d0["isRecommended"].GetBool());
  EXPECT_STREQ(d0["actions"][0]["type"].GetString(), "delete");
  EXPECT_STREQ(d0["actions"][0]["resourceId"].GetString(), "MedicationRequest/inj-1");
  EXPECT_FALSE(d0["actions"][0].HasMember("resource"));  // cds-resp-2
  const auto& c1 = card["suggestions"][1];
  EXPECT_FALSE(c1.HasMember("isRecommended"));
  const auto& resource = c1["actions"][0]["resource"];
  EXPECT_STREQ(resource["resourceType"].GetString(), "ServiceRequest");
  EXPECT_STREQ(resource["status"].GetString(), "draft");
  EXPECT_STREQ(resource["intent"].GetString(), "order");
  EXPECT_STREQ(resource["code"]["coding"][0]["code"].GetString(), "308447003");
  EXPECT_STREQ(resource["reasonReference"][0]["reference"].GetString(), "Condition/c1");
  EXPECT_STREQ(resource["subject"]["reference"].GetString(), "Patient/pat-1");
  EXPECT_FALSE(resource.HasMember("encounter"));
  EXPECT_FALSE(resource.HasMember("note"));
  EXPECT_STREQ(card["detail"].GetString(), "Why it fired.\n\nConfigured text.");
  EXPECT_STREQ(card["overrideReasons"][0]["display"].GetString(), "Display");
  EXPECT_STREQ(card["links"][0]["type"].GetString(), "absolute");
}

TEST(CardWriter, DeviceRequestProposalsUseCodeCodeableConcept) {
  Card c = MinimalCard();
  OrderTemplate heel_lift{ProposalKind::kDeviceRequest,
                          CodingValue{"https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "L3334", "Heel lift"},
                          "", ""};
  ProposedOrder p;
  p.order = &heel_lift;
  p.patient_id = "pat-1";
  Suggestion s;
  s.label = "Heel lift";
  s.actions.push_back(Action{ActionType::kCreate, "Order a heel lift", p, {}, {}});
  c.suggestions = {s};
  std::string out;
  auto d = Write({c}, out);
  const auto& resource = d["cards"][0]["suggestions"][0]["actions"][0]["resource"];
  EXPECT_STREQ(resource["resourceType"].GetString(), "DeviceRequest");
  EXPECT_TRUE(resource.HasMember("codeCodeableConcept"));
  EXPECT_FALSE(resource.HasMember("code"));
}

TEST(CardWriter, EscapesTextSafely) {
  Card c = MinimalCard();
  const std::string text = "quote \" backslash \\ newline \n control \x01";
  c.summary = text;
  std::string out;
  auto d = Write({c}, out);
  EXPECT_EQ(std::string(d["cards"][0]["summary"].GetString()), text);
}

}  // namespace
}  // namespace cds::hooks
