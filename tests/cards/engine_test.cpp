// cards/engine.cpp: configuration loading (every bad value stops start-up with file and field), rule
// enabling per service, prefetch needs, and cross-rule suppression.
#include "cards/engine.h"

#include <gtest/gtest.h>

#include "fhir/result.h"
#include "tests/support/files.h"

#include <filesystem>
#include "tests/support/requests.h"
#include "tests/support/service_calls.h"

namespace cds::cards {
namespace {

using namespace cds::test;

std::string LoadError(const ConfigCopy& config) {
  try {
    Engine::Load(config.path());
  } catch (const fhir::ConfigError& e) {
    return e.what();
  }
  return "(loaded)";
}

TEST(Engine, LoadsTheShippedConfigurationInCatalogOrder) {
  const Engine& e = ShippedEngine();
  ASSERT_EQ(e.services().size(), 3u);
  EXPECT_EQ(e.services()[0].definition->id, "achilles-patient-view");
  EXPECT_EQ(e.services()[1].definition->id, "achilles-order-select");
  EXPECT_EQ(e.services()[2].definition->id, "achilles-order-sign");
  EXPECT_EQ(e.Find("achilles-order-sign"), &e.services()[2]);
  EXPECT_EQ(e.Find("nope"), nullptr);
  // patient-view reads everything; the order hooks no BMI (the weight rule is patient-view only).
  for (DataKind k : {DataKind::kPatient, DataKind::kConditions, DataKind::kMedications, DataKind::kServiceRequests,
                     DataKind::kProcedures, DataKind::kBmiObservations}) {
    EXPECT_TRUE(Needs(e.services()[0].needs, k)) << static_cast<int>(k);
  }
  EXPECT_FALSE(Needs(e.services()[2].needs, DataKind::kBmiObservations));
  EXPECT_TRUE(Needs(e.services()[2].needs, DataKind::kPatient));  // age, for the fluoroquinolone rule
}

struct BadConfig {
  const char* file;
  const char* from;
  const char* to;
  const char* expected;  // in the error: the file and field
};

class EngineBadConfig : public ::testing::TestWithParam<BadConfig> {};

TEST_P(EngineBadConfig, StopsStartUpNamingFileAndField) {
  const BadConfig& c = GetParam();
  ConfigCopy config;
  config.Edit(c.file, c.from, c.to);
  const std::string error = LoadError(config);
  EXPECT_NE(error.find(c.expected), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(
    Settings, EngineBadConfig,
    ::testing::Values(
        BadConfig{"rules/eccentric-rehab.json", "\"indicator\": \"info\"", "\"indicator\": \"urgent\"",
                  "eccentric-rehab.json: indicator: must be \"info\", \"warning\" or \"critical\""},
        BadConfig{"rules/eccentric-rehab.json", "\"indicator\": \"info\"", "\"indicator\": \"info\", \"indicatr\": 1",
                  "eccentric-rehab.json: indicatr: unknown setting"},
        BadConfig{
            "rules/steroid-injection.json", "\"summary\": \"Avoid",
            "\"summary\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx Avoid",
            "steroid-injection.json: card.summary: must be under 140 characters"},
        BadConfig{"rules/steroid-injection.json", "\"achilles-order-select\", ", "\"achilles-patient-view\", ",
                  "steroid-injection.json: services[0]: this rule does not apply to the patient-view hook"},
        BadConfig{"rules/steroid-injection.json", "\"achilles-order-select\", ", "\"achilles-order-typo\", ",
                  "steroid-injection.json: services[0]: no service \"achilles-order-typo\""},
        BadConfig{"rules/steroid-injection.json", "\"siteNotStated\": \"warning\"", "\"siteNotStated\": 3",
                  "steroid-injection.json: indicators.siteNotStated: must be a non-empty string"},
        BadConfig{"rules/steroid-injection.json",
                  "\"code\": \"site-not-achilles\", \"display\": \"Injection site is not the Achilles tendon\"",
                  "\"code\": \"site-not-achilles\"",
                  "steroid-injection.json: card.overrideReasons[0].display: missing"},
        BadConfig{"rules/steroid-injection.json", "\"resourceType\": \"ServiceRequest\"", "\"resourceType\": \"Task\"",
                  "suggestions.physiotherapyReferral.resourceType"},
        BadConfig{"rules/eccentric-rehab.json", "\"links\": [",
                  "\"links\": [{\"label\": \"x\", \"url\": \"not a url\"}, ",
                  "eccentric-rehab.json: card.links[0].url: must be an absolute http(s) URL"},
        BadConfig{"rules/eccentric-rehab.json", "\"links\": [",
                  "\"links\": [{\"label\": \"x\", \"url\": \"https://example.org\", \"appContext\": \"a\"}, ",
                  "card.links[0].appContext: only for smart links"},
        BadConfig{"rules/eccentric-rehab.json", "\"summary\": \"{Side}Achilles", "\"summary\": \"{drug}Achilles",
                  "eccentric-rehab.json: card.summary: unknown placeholder {drug} (this text takes {side}, {Side})"},
        BadConfig{"rules/steroid-injection.json", "\"summary\": \"Avoid {drug} injection",
                  "\"summary\": \"Avoid {drug} {drug} {drug} injection",
                  "steroid-injection.json: card.summary: must be under 140 characters (CDS Hooks card.summary), with "
                  "every placeholder at its longest"},
        BadConfig{"rules/eccentric-rehab.json", "\"title\": \"Loading", "\"title\": \"Loading\", \"title\": \"Loading",
                  "Member \"title\" appears twice"},
        BadConfig{"rules/eccentric-rehab.json", "\"rule\": \"eccentric-rehab\"", "\"rule\": \"steroid-injection\"",
                  "eccentric-rehab.json: rule: must be \"eccentric-rehab\""},
        BadConfig{"cards.json", "\"topicSystem\"", "\"topicSystm\"", "cards.json: topicSystem: missing"},
        BadConfig{"cards.json", "{", "[", "cards.json"},
        BadConfig{"cards.json", "\"critical\": 0", "\"critical\": 400", "cards.json: snoozeDays.critical: "},
        BadConfig{"rules/eccentric-rehab.json", "\"indicator\": \"info\",", "\"indicator\": \"info\", \"card\": {},",
                  "appears twice"},
        BadConfig{"rules/eccentric-rehab.json", "\"title\": \"Loading", "\"snoozeDays\": {\"info\": 2.5}, \"title\": \"Loading",
                  "eccentric-rehab.json: card.snoozeDays.info: must be a whole number"},
        BadConfig{"rules/eccentric-rehab.json", "\"title\": \"Loading", "\"snoozeDays\": {\"sometimes\": 2}, \"title\": \"Loading",
                  "eccentric-rehab.json: card.snoozeDays.sometimes"},
        BadConfig{"valuesets/physiotherapy.json", "\"code\": \"97110\"", "\"code\": \"\"",
                  "physiotherapy.json: compose.include[1].concept[4].code: missing code"}));

TEST(Engine, MissingAndUnknownRuleFilesStopStartUp) {
  {
    ConfigCopy config;
    std::filesystem::remove(config.Join("rules/eccentric-rehab.json"));
    EXPECT_NE(LoadError(config).find("eccentric-rehab.json: missing"), std::string::npos) << LoadError(config);
  }
  {
    ConfigCopy config;
    WriteFile(config.Join("rules/steroid-injections.json"), "{}");
    EXPECT_NE(LoadError(config).find("steroid-injections.json: no rule has this id"), std::string::npos);
  }
  {
    ConfigCopy config;
    std::filesystem::remove(config.Join("valuesets/achilles-site.json"));
    EXPECT_NE(LoadError(config).find("achilles-site: required value set is missing"), std::string::npos)
        << LoadError(config);
  }
}

TEST(Engine, DisablingARuleRemovesItAndItsPrefetchFromAService) {
  ConfigCopy config;
  config.Edit("rules/weight.json", "\"services\": [\"achilles-patient-view\"]", "\"services\": []");
  auto engine = Engine::Load(config.path());
  const Service* pv = engine->Find("achilles-patient-view");
  ASSERT_NE(pv, nullptr);
  EXPECT_EQ(pv->rules.size(), 6u);
  EXPECT_FALSE(Needs(pv->needs, DataKind::kBmiObservations));  // only the weight rule reads BMI
  EXPECT_TRUE(Needs(pv->needs, DataKind::kConditions));
  // eccentric-rehab is off on the order hooks by default (alert fatigue): three rules there.
  EXPECT_EQ(engine->Find("achilles-order-sign")->rules.size(), 3u);
}

TEST(Engine, ARuleCanNameItsOwnSourceAndThresholdsAreData) {
  ConfigCopy config;
  config.Edit(
      "rules/eccentric-rehab.json", "\"title\": \"Loading programme for Achilles tendinopathy\",",
      "\"title\": \"Loading programme for Achilles tendinopathy\", \"source\": {\"label\": \"Sports Medicine Dept\", "
      "\"url\": \"https://sports.example.org/achilles\"},");
  config.Edit("rules/escalation.json", "\"weeksOfPhysiotherapyBeforeReview\": 8",
              "\"weeksOfPhysiotherapyBeforeReview\": 5");
  auto engine = Engine::Load(config.path());
  CallResult rehab =
      CallService("achilles-patient-view",
                  PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")})),
                  TestToday(), *engine);
  ASSERT_EQ(rehab.status, 200);
  EXPECT_NE(rehab.body.find("\"label\":\"Sports Medicine Dept\",\"url\":\"https://sports.example.org/achilles\""),
            std::string::npos)
      << rehab.body;
  // Five weeks of physiotherapy now prompts a review (the shipped eight would not).
  Prefetch p = WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg", "2026-10-15")});
  p.service_requests = {ServiceRequest("pt", Concept({Coding(kSct, "308447003", "Referral to physiotherapist")}), "",
                                       "active", "2026-10-20")};
  EXPECT_NE(
      CallService("achilles-patient-view", PatientView(p), TestToday(), *engine).body.find("\"code\":\"escalation\""),
      std::string::npos);
  EXPECT_EQ(CallService("achilles-patient-view", PatientView(p)).body.find("\"code\":\"escalation\""),
            std::string::npos);
}

TEST(Engine, TheEccentricCardYieldsToTheSteroidCardOnOrderHooks) {
  MedicationSpec m;
  m.id = "inj-1";
  m.medication = Concept({}, "Kenalog-40 injection");
  m.site = Concept({}, "left Achilles tendon");
  const std::string body = OrderSign(
      {MedicationRequest(m)}, WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")}));
  CallResult r = CallService("achilles-order-sign", body);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"code\":\"steroidInjection\""), std::string::npos);
  EXPECT_EQ(r.body.find("\"code\":\"eccentricRehab\""), std::string::npos) << r.body;
}

// Enabled on an order hook (config), the eccentric card still yields to a card that already offers the
// referral, and fires only for an order about the Achilles.
TEST(Engine, TheEccentricCardOnAnOrderHookIsConfigurable) {
  ConfigCopy config;
  config.Edit("rules/eccentric-rehab.json", "\"services\": [\"achilles-patient-view\"]",
              "\"services\": [\"achilles-patient-view\", \"achilles-order-sign\"]");
  auto engine = Engine::Load(config.path());
  const Prefetch p = WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")});
  const std::string lisinopril = OrderSign({ServiceRequest("lab-1", Concept({}, "Potassium, serum"))}, p);
  EXPECT_EQ(CallService("achilles-order-sign", lisinopril, TestToday(), *engine).body.find("eccentricRehab"),
            std::string::npos);
  const std::string ankle_xray = OrderSign({ServiceRequest("xr-1", Concept({}, "X-ray left Achilles tendon"))}, p);
  EXPECT_NE(CallService("achilles-order-sign", ankle_xray, TestToday(), *engine).body.find("\"code\":\"eccentricRehab\""),
            std::string::npos);
}

// CDS Hooks §prefetch and the sandbox, which drops a key its FHIR server refused: a rule whose required
// data is missing is skipped, the others run; the service can run while any rule can.
TEST(Engine, MissingRequiredDataSkipsOnlyTheRulesThatNeedIt) {
  const Engine& e = ShippedEngine();
  const Service& pv = *e.Find("achilles-patient-view");
  EXPECT_TRUE(e.CanRun(pv, Need(DataKind::kBmiObservations)));
  EXPECT_FALSE(e.CanRun(pv, Need(DataKind::kConditions)));
  const Service& sign = *e.Find("achilles-order-sign");
  EXPECT_TRUE(e.CanRun(sign, Need(DataKind::kConditions)));  // the steroid card at the Achilles needs none
}

}  // namespace
}  // namespace cds::cards
