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

rapidjson::Document Write(const std::vector<Card>& cards, std::string& out, const ResponseOptions& options = {}) {
  WriteCardsResponse(cards, options, out);
  test::RecordResponse("cards", 200, out);
  rapidjson::Document d = test::Json(out);
  EXPECT_FALSE(d.HasParseError()) << out;
  return d;
}

TEST(CardWriter, NoAdviceIsAnEmptyCardsArray) {
  std::string out;
  WriteCardsResponse({}, {}, out);
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
  settings.override_reasons = {CodingValue{"sys", "code", "Display"}};
  settings.links = {Link{"Guideline", "https://example.org/g", LinkType::kAbsolute, ""}};
  Card c = NewCard(RuleId::kSteroidInjection, settings, Indicator::kCritical);
  c.detail = "Why it fired.\n\nWhat to do.\n\n";
  Suggestion del;
  del.label = "Remove";
  del.recommended = true;
  del.actions.push_back(Action{ActionType::kDelete, "Remove the order", std::nullopt, "MedicationRequest", "inj-1"});
  OrderTemplate referral{ProposalKind::kServiceRequest,
                         CodingValue{"http://snomed.info/sct", "308447003", "Referral to physiotherapist"}, "Referral",
                         "", ""};
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
  EXPECT_STREQ(card["detail"].GetString(), "Why it fired.\n\nWhat to do.");  // trailing blank lines trimmed
  EXPECT_STREQ(card["overrideReasons"][0]["display"].GetString(), "Display");
  EXPECT_STREQ(card["links"][0]["type"].GetString(), "absolute");
}

TEST(CardWriter, DeviceRequestProposalsUseCodeCodeableConcept) {
  Card c = MinimalCard();
  OrderTemplate heel_lift{ProposalKind::kDeviceRequest,
                          CodingValue{"https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "L3334", "Heel lift"},
                          "", "", ""};
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

namespace cds::hooks {
namespace {

// The card's source.url is the rule's page under the service's base URL, unless a URL is configured.
TEST(CardWriter, SourceUrlLinksTheRulePage) {
  Card c = MinimalCard();
  std::string out;
  auto d = Write({c}, out, ResponseOptions{"https://cds.example.org", nullptr});
  EXPECT_STREQ(d["cards"][0]["source"]["url"].GetString(), "https://cds.example.org/rules/eccentric-rehab");
  CardSettings configured = MinimalSettings();
  configured.source.url = "https://guidelines.example.org/achilles";
  Card own = NewCard(RuleId::kEccentricRehab, configured, Indicator::kInfo);
  auto d2 = Write({own}, out, ResponseOptions{"https://cds.example.org", nullptr});
  EXPECT_STREQ(d2["cards"][0]["source"]["url"].GetString(), "https://guidelines.example.org/achilles");
}

// An EHR profile removes what its EHR cannot carry: Epic deletes only MedicationRequest / ServiceRequest
// and creates only Condition / MedicationRequest / ServiceRequest, and shows selectionBehavior "any" only.
TEST(CardWriter, AnEhrProfileDropsActionsItsEhrCannotCarry) {
  EhrProfile epic;
  epic.create = {"Condition", "MedicationRequest", "ServiceRequest"};
  epic.remove = {"MedicationRequest", "ServiceRequest"};
  epic.selection_any_only = true;
  Card c = MinimalCard();
  Suggestion boot;
  boot.label = "Remove the boot";
  boot.actions.push_back(Action{ActionType::kDelete, "Remove", std::nullopt, "DeviceRequest", "boot-1"});
  OrderTemplate device{ProposalKind::kDeviceRequest, CodingValue{"s", "L3334", "Heel lift"}, "", "", ""};
  ProposedOrder p;
  p.order = &device;
  p.patient_id = "pat-1";
  Suggestion lift;
  lift.label = "Heel lift";
  lift.actions.push_back(Action{ActionType::kCreate, "Order", p, {}, {}});
  Suggestion rx;
  rx.label = "Remove the drug";
  rx.actions.push_back(Action{ActionType::kDelete, "Remove", std::nullopt, "MedicationRequest", "fq-1"});
  c.suggestions = {boot, lift, rx};
  c.selection = SelectionBehavior::kAtMostOne;
  std::string out;
  auto generic = Write({c}, out);
  EXPECT_EQ(generic["cards"][0]["suggestions"].Size(), 3u);
  EXPECT_STREQ(generic["cards"][0]["selectionBehavior"].GetString(), "at-most-one");
  auto d = Write({c}, out, ResponseOptions{"", &epic});
  const auto& card = d["cards"][0];
  ASSERT_EQ(card["suggestions"].Size(), 1u);
  EXPECT_STREQ(card["suggestions"][0]["actions"][0]["resourceId"].GetString(), "MedicationRequest/fq-1");
  EXPECT_STREQ(card["selectionBehavior"].GetString(), "any");
  // With nothing left to suggest, the card keeps its text and loses suggestions and selectionBehavior.
  c.suggestions = {boot};
  auto none = Write({c}, out, ResponseOptions{"", &epic});
  EXPECT_FALSE(none["cards"][0].HasMember("suggestions"));
  EXPECT_FALSE(none["cards"][0].HasMember("selectionBehavior"));
}

// Ids as EHRs make them are hundreds of characters: references are written whole.
TEST(CardWriter, LongIdsAreWrittenWhole) {
  Card c = MinimalCard();
  const std::string id(300, 'e');
  Suggestion del;
  del.label = "Remove";
  del.actions.push_back(Action{ActionType::kDelete, "Remove", std::nullopt, "MedicationRequest", id});
  OrderTemplate referral{ProposalKind::kServiceRequest, CodingValue{"s", "c", "d"}, "", "", "urgent"};
  ProposedOrder p;
  p.order = &referral;
  p.patient_id = id;
  p.encounter_id = id;
  Suggestion create;
  create.label = "Refer";
  create.actions.push_back(Action{ActionType::kCreate, "Refer", p, {}, {}});
  c.suggestions = {del, create};
  std::string out;
  auto d = Write({c}, out);
  EXPECT_EQ(std::string(d["cards"][0]["suggestions"][0]["actions"][0]["resourceId"].GetString()),
            "MedicationRequest/" + id);
  const auto& r = d["cards"][0]["suggestions"][1]["actions"][0]["resource"];
  EXPECT_EQ(std::string(r["subject"]["reference"].GetString()), "Patient/" + id);
  EXPECT_EQ(std::string(r["encounter"]["reference"].GetString()), "Encounter/" + id);
  EXPECT_STREQ(r["priority"].GetString(), "urgent");
}

}  // namespace
}  // namespace cds::hooks
