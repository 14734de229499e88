// hooks/service_call.cpp: the request path with no socket (catalog 404 → parse 400 → prefetch 412 → 200).
#include "hooks/service_call.h"

#include <gtest/gtest.h>

#include "tests/support/files.h"
#include "tests/support/requests.h"
#include "tests/support/service_calls.h"

namespace cds::hooks {
namespace {

using namespace cds::test;

TEST(ServiceCall, UnknownServiceIs404BeforeTheBodyIsRead) {
  EXPECT_EQ(CallService("no-such-service", "not even json").status, 404);
}

TEST(ServiceCall, MalformedJsonIs400) {
  for (const char* body : {"", "{", "{\"hook\":}", "{\"a\":1} trailing", "\xff"}) {
    EXPECT_EQ(CallService("achilles-patient-view", body).status, 400) << body;
  }
}

TEST(ServiceCall, WrongHookForTheServiceIs400) {
  CallResult r = CallService("achilles-order-sign", PatientView(Prefetch{}));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("answers the \\\"order-sign\\\" hook"), std::string::npos) << r.body;
}

TEST(ServiceCall, PatientViewWithTendinopathyReturnsTheEccentricCard) {
  CallResult r = CallService(
      "achilles-patient-view",
      PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.61", "Achilles tendinitis, right leg")})));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"code\":\"eccentricRehab\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"indicator\":\"info\""), std::string::npos);
}

// codes.md (clinical safety review): S86.011A is an acute injury with rupture not excluded — the rupture
// card, never a loading prompt.
TEST(ServiceCall, AnAcuteStrainGetsTheRupturePromptNotLoading) {
  CallResult r = CallService(
      "achilles-patient-view",
      PatientView(WithConditions({Condition("c1", kIcd10Cm, "S86.011A", "Strain of right Achilles tendon")})));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"code\":\"acuteInjury\""), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("eccentricRehab"), std::string::npos) << r.body;
}

TEST(ServiceCall, LargeRecordsAreHandled) {
  // Hundreds of resources, well past the per-thread parse arena.
  std::vector<std::string> conditions;
  for (int i = 0; i < 400; ++i) {
    conditions.push_back(Condition("c" + std::to_string(i), kIcd10Cm, "J45.909", "Asthma, uncomplicated"));
  }
  conditions.push_back(Condition("ach", kIcd10Cm, "M76.61", "Achilles tendinitis, right leg"));
  CallResult r = CallService("achilles-patient-view", PatientView(WithConditions(conditions)));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Condition/ach"), std::string::npos);  // the referral's reasonReference
}

TEST(ServiceCall, ExplainSaysForEveryRuleWhetherItFiredAndWhy) {
  // A knee injection for a patient with resolved tendinopathy, on a configuration with immobilisation off.
  ConfigCopy config;
  config.Edit("rules/immobilisation.json", "\"services\": [\"achilles-order-select\", \"achilles-order-sign\"]",
              "\"services\": []");
  auto engine = cards::Engine::Load(config.path());
  MedicationSpec knee;
  knee.id = "inj-1";
  knee.medication = Concept({}, "Kenalog-40 injection");
  knee.site = Concept({}, "Left knee");
  ConditionSpec resolved;
  resolved.code = Concept({Coding(kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")});
  resolved.clinical = "resolved";
  std::string body = OrderSign({MedicationRequest(knee)}, WithConditions({Condition(resolved)}));
  auto explained = ExplainServiceCall(*engine, "achilles-order-sign", body, TestToday());
  ASSERT_TRUE(explained.ok()) << explained.error().message;
  const std::string& report = *explained;
  for (const char* expected : {"Condition/c1: Achilles tendinopathy \"Achilles tendinitis, left leg\" (ICD-10-CM M76.62",
                               "does not count (clinicalStatus is resolved), a past tendon disorder",
                               "draft order under review MedicationRequest/inj-1 \"Kenalog-40 injection\": "
                               "corticosteroid, injection, route not stated, site: elsewhere",
                               "steroid-injection: did not fire", "injection site is elsewhere: text \"Left knee\"",
                               "fluoroquinolone: did not fire", "immobilisation: disabled",
                               "eccentric-rehab: disabled"}) {
    EXPECT_NE(report.find(expected), std::string::npos) << expected << "\n" << report;
  }
}

TEST(ServiceCall, TodayUtcIsToday) {
  const fhir::Date today = TodayUtc();
  EXPECT_GT(today, fhir::Date::FromYmd(2024, 1, 1));
  EXPECT_LT(today, fhir::Date::FromYmd(2100, 1, 1));
}

}  // namespace
}  // namespace cds::hooks
