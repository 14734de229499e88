// hooks/ehr_profile.cpp: profiles as data, each limit with its source; and what the Epic profile changes in
// a response (Epic creates only Condition / MedicationRequest / ServiceRequest, deletes only MedicationRequest
// / ServiceRequest, shows selectionBehavior "any" only, and takes alphanumeric topic codes up to 100).
#include "hooks/ehr_profile.h"

#include <gtest/gtest.h>

#include "fhir/result.h"
#include "hooks/router.h"
#include "tests/support/files.h"
#include "tests/support/requests.h"
#include "tests/support/test_server.h"

namespace cds::hooks {
namespace {

using namespace cds::test;

TEST(EhrProfile, TheShippedProfilesLoadAndEveryTopicCodeFits) {
  for (const char* name : {"generic", "epic", "oracle-health"}) {
    const std::string file = ConfigDir() + "/ehr-profiles/" + name + ".json";
    EhrProfile p = EhrProfile::Load(file);
    EXPECT_EQ(p.name, name);
    EXPECT_NO_THROW(p.Check(file));
  }
  const EhrProfile epic = EhrProfile::Load(ConfigDir() + "/ehr-profiles/epic.json");
  EXPECT_TRUE(epic.selection_any_only);
  EXPECT_EQ(epic.max_topic_code, 100u);
  EXPECT_TRUE(epic.topic_code_alphanumeric);
  EXPECT_TRUE(epic.AllowsCreate("ServiceRequest"));
  EXPECT_FALSE(epic.AllowsCreate("DeviceRequest"));
  EXPECT_FALSE(epic.AllowsDelete("DeviceRequest"));
  EXPECT_TRUE(EhrProfile::Load(ConfigDir() + "/ehr-profiles/generic.json").AllowsDelete("DeviceRequest"));
}

TEST(EhrProfile, ALimitWithoutItsSourceIsRefused) {
  TempDir dir;
  WriteFile(dir.Join("x.json"), R"({"profile":"x","selectionBehaviors":["any"]})");
  try {
    EhrProfile::Load(dir.Join("x.json"));
    FAIL() << "accepted";
  } catch (const fhir::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("selectionBehaviors: every limit needs a citation"), std::string::npos)
        << e.what();
  }
  WriteFile(dir.Join("y.json"), R"({"profile":"y","topicCode":{"maxLength":3},"sources":{"topicCode":"docs"}})");
  const std::string file = dir.Join("y.json");
  EXPECT_THROW(EhrProfile::Load(file).Check(file), fhir::ConfigError);  // "steroidInjection" is longer
}

// server.json "ehrProfile": "epic": a boot drafted as a DeviceRequest cannot be deleted from an Epic card,
// so that suggestion is left out; the heel lift (a ServiceRequest) stays.
TEST(EhrProfile, EpicGetsOnlyCardsEpicCanShow) {
  auto respond = [](const std::string& profile) {
    ServerSettings s = TestSettings();
    s.ehr_profile = profile;
    AppState state(ConfigDir(), s);
    Router router(state);
    const std::string boot =
        R"({"resourceType":"DeviceRequest","id":"boot-1","status":"draft","intent":"order","subject":{"reference":"Patient/pat-1"},"codeCodeableConcept":{"text":"Walking boot, left"}})";
    std::string body =
        OrderSign({boot}, WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")}));
    HttpRequest req{Method::kPost, "/cds-services/achilles-order-sign", "application/json", "", "h", &body, ""};
    HttpResponse resp;
    router.Handle(req, resp);
    EXPECT_EQ(resp.status, 200);
    return resp.body;
  };
  const std::string generic = respond("generic");
  EXPECT_NE(generic.find("\"resourceId\":\"DeviceRequest/boot-1\""), std::string::npos) << generic;
  const std::string epic = respond("epic");
  EXPECT_NE(epic.find("\"code\":\"immobilisation\""), std::string::npos) << epic;
  EXPECT_EQ(epic.find("DeviceRequest/boot-1"), std::string::npos) << epic;
  EXPECT_NE(epic.find("L3334"), std::string::npos);  // the heel lift, as a ServiceRequest
  EXPECT_EQ(epic.find("at-most-one"), std::string::npos);
}

TEST(EhrProfile, AnUnknownProfileIsAConfigurationError) {
  ServerSettings s;
  s.ehr_profile = "cerner-typo";
  EXPECT_THROW(AppState(ConfigDir(), s), fhir::ConfigError);
}

}  // namespace
}  // namespace cds::hooks
