// hooks/prefetch.cpp. CDS Hooks 2.0 §Prefetch: "If the CDS Service is unable to obtain the required data,
// it SHALL return 412"; an absent key (not fetched) differs from null (no data) and from an
// OperationOutcome (the client's fetch failed). Required is per rule: a rule missing its required data is
// skipped, one missing optional data runs and says so, and 412 comes only when no rule can run.
#include "hooks/prefetch.h"

#include <gtest/gtest.h>

#include "hooks/hook_request.h"
#include "tests/support/json.h"
#include "tests/support/requests.h"
#include "tests/support/service_calls.h"

namespace cds::hooks {
namespace {

using namespace cds::test;

std::string WithPrefetch(const std::string& prefetch) {
  std::string body = PatientView(Prefetch{});
  const std::size_t at = body.find("\"prefetch\":");
  return body.substr(0, at) + "\"prefetch\":" + prefetch + "}";
}

// The keys patient-view needs besides "conditions", all present with no data.
constexpr char kOtherKeys[] =
    R"("patient":null,"medications":null,"serviceRequests":null,"procedures":null,"bmi":null)";

const std::string kTendinopathy = Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg");

TEST(Prefetch, NullMeansNoDataAndIsNotAnError) {
  CallResult r =
      CallService("achilles-patient-view", WithPrefetch(std::string(R"({"conditions":null,)") + kOtherKeys + "}"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"cards":[]})");
}

TEST(Prefetch, MissingKeyWithoutFhirServerIs412NamingTheKey) {
  CallResult r = CallService(
      "achilles-patient-view",
      WithPrefetch(R"({"patient":null,"serviceRequests":null,"medications":null,"procedures":null,"bmi":null})"));
  EXPECT_EQ(r.status, 412);  // every patient-view rule needs the problem list
  EXPECT_NE(r.body.find("\\\"conditions\\\" (absent)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("no fhirServer"), std::string::npos) << r.body;
}

// The CDS Hooks sandbox drops a prefetch key its FHIR server refused (bmi): the other rules still run,
// and the weight rule, which needs it, is skipped.
TEST(Prefetch, APartialPrefetchStillGivesTheCardsThatCanBeGiven) {
  CallResult r = CallService("achilles-patient-view",
                             WithPrefetch("{\"conditions\":" + Bundle({kTendinopathy}) +
                                          R"(,"patient":null,"medications":null,"serviceRequests":null,"procedures":null})"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("\"code\":\"eccentricRehab\""), std::string::npos) << r.body;
  // Optional data missing: the rule runs and its card says what it could not check.
  CallResult partial = CallService("achilles-patient-view",
                                   WithPrefetch("{\"conditions\":" + Bundle({kTendinopathy}) + R"(,"bmi":null})"));
  ASSERT_EQ(partial.status, 200) << partial.body;
  EXPECT_NE(partial.body.find("Not checked (the EHR sent no data): referrals and orders on record, procedures on record"),
            std::string::npos)
      << partial.body;
}

// An order-sign without the problem list still gets the critical steroid card: that rule can run.
TEST(Prefetch, AnOrderHookRunsTheRulesThatNeedNoPrefetch) {
  MedicationSpec m;
  m.id = "inj-1";
  m.medication = Concept({}, "Kenalog-40 injection");
  m.site = Concept({Coding(kSct, "61352006", "Structure of Achilles tendon")});
  std::string body = OrderSign({MedicationRequest(m)}, Prefetch{});
  body = body.substr(0, body.find(",\"prefetch\":")) + "}";
  CallResult r = CallService("achilles-order-sign", body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("\"indicator\":\"critical\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("Not checked (the EHR sent no data): the problem list"), std::string::npos) << r.body;
}

// An OperationOutcome entry of severity error or fatal inside a prefetched Bundle means the EHR's search
// failed: that key is unavailable, exactly like a top-level OperationOutcome. A warning entry (Epic's "no
// results") is ignored.
TEST(Prefetch, AnErrorOperationOutcomeInsideABundleMakesTheKeyUnavailable) {
  const std::string failed = Bundle(
      {kTendinopathy, R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout"}]})"});
  CallResult r =
      CallService("achilles-patient-view", WithPrefetch("{\"conditions\":" + failed + "," + kOtherKeys + "}"));
  EXPECT_EQ(r.status, 412);
  EXPECT_NE(r.body.find("\\\"conditions\\\" (OperationOutcome"), std::string::npos) << r.body;
  const std::string warning = Bundle(
      {R"({"resourceType":"OperationOutcome","issue":[{"severity":"warning","code":"informational","diagnostics":"No results"}]})",
       kTendinopathy});
  CallResult w =
      CallService("achilles-patient-view", WithPrefetch("{\"conditions\":" + warning + "," + kOtherKeys + "}"));
  EXPECT_EQ(w.status, 200);
  EXPECT_NE(w.body.find("eccentricRehab"), std::string::npos) << w.body;
}

// Another patient's record must never fire a card: resources whose subject is not context.patientId are
// ignored (and counted in the log).
TEST(Prefetch, ResourcesAboutAnotherPatientAreIgnored) {
  std::string other = kTendinopathy;
  other.replace(other.find("Patient/pat-1"), 13, "Patient/someone-else");
  CallResult r = CallService("achilles-patient-view", WithPrefetch("{\"conditions\":" + Bundle({other}) + "," + kOtherKeys + "}"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"cards":[]})");
  std::string absolute = kTendinopathy;
  absolute.replace(absolute.find("Patient/pat-1"), 13, "https://ehr.example/fhir/Patient/pat-1");
  CallResult same = CallService("achilles-patient-view", WithPrefetch("{\"conditions\":" + Bundle({absolute}) + "," + kOtherKeys + "}"));
  EXPECT_NE(same.body.find("eccentricRehab"), std::string::npos) << same.body;
  // A Patient resource of another patient gives no age.
  MedicationSpec fq;
  fq.id = "fq-1";
  fq.medication = Concept({}, "Ciprofloxacin 500 mg tablet");
  Prefetch p = WithConditions({kTendinopathy});
  p.patient = R"({"resourceType":"Patient","id":"other","birthDate":"1930-01-01"})";
  CallResult age = CallService("achilles-order-sign", OrderSign({MedicationRequest(fq)}, p));
  EXPECT_NE(age.body.find("\"indicator\":\"warning\""), std::string::npos) << age.body;
  // A draft order for another patient is not judged.
  MedicationSpec inj;
  inj.id = "inj-1";
  inj.medication = Concept({}, "Kenalog-40 injection");
  inj.site = Concept({}, "left Achilles tendon");
  std::string order = MedicationRequest(inj);
  order.replace(order.find("Patient/pat-1"), 13, "Patient/someone-else");
  EXPECT_EQ(CallService("achilles-order-sign", OrderSign({order}, WithConditions({}))).body, R"({"cards":[]})");
}

TEST(Prefetch, AbsentPrefetchIs412NamingEveryKey) {
  std::string body = PatientView(Prefetch{});
  body = body.substr(0, body.find(",\"prefetch\":")) + "}";
  CallResult r = CallService("achilles-patient-view", body);
  EXPECT_EQ(r.status, 412);
  for (const char* key : {"conditions", "serviceRequests", "procedures"})
    EXPECT_NE(r.body.find(key), std::string::npos) << key;
}

TEST(Prefetch, OperationOutcomeInPlaceOfDataIs412) {
  CallResult r = CallService(
      "achilles-patient-view",
      WithPrefetch(
          R"({"conditions":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"forbidden"}]},"serviceRequests":null,"procedures":null})"));
  EXPECT_EQ(r.status, 412);
  EXPECT_NE(r.body.find("the EHR's fetch failed"), std::string::npos) << r.body;
}

// A caller that gives the call no FHIR client (fetching turned off in server.json) still gets the 412, and
// it says why the fhirServer was not asked. (Fetching itself: tests/hooks/fhir_fetch_test.cpp.)
TEST(Prefetch, WithAFhirServerButFetchingOffStill412SayingSo) {
  std::string body = PatientView(Prefetch{});
  body = body.substr(0, body.find(",\"prefetch\":")) + "}";
  body.insert(1, "\"fhirServer\":\"https://ehr.example.org/fhir\",");
  CallResult r = CallService("achilles-patient-view", body);
  EXPECT_EQ(r.status, 412);
  EXPECT_NE(r.body.find("not set up to query fhirServer"), std::string::npos) << r.body;
}

TEST(Prefetch, APatientReadIsABareResourceOrAOneEntryBundle) {
  const std::string patient = R"({"resourceType":"Patient","id":"pat-1","birthDate":"1950-01-01"})";
  for (const std::string& p : {patient, Bundle({patient})}) {
    const std::string body =
        WithPrefetch("{\"conditions\":null,\"patient\":" + p +
                     R"(,"medications":null,"serviceRequests":null,"procedures":null,"bmi":null})");
    EXPECT_EQ(CallService("achilles-patient-view", body).status, 200) << p;
  }
}

TEST(Prefetch, AcceptsSearchsetAndCollectionBundlesAndBareResources) {
  for (const std::string& conditions :
       {Bundle({kTendinopathy}, "searchset"), Bundle({kTendinopathy}, "collection"), kTendinopathy}) {
    CallResult r =
        CallService("achilles-patient-view", WithPrefetch("{\"conditions\":" + conditions + "," + kOtherKeys + "}"));
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("eccentricRehab"), std::string::npos) << conditions;
  }
}

TEST(Prefetch, SkipsEntriesOfOtherTypes) {
  // A search can return an OperationOutcome entry (search.mode outcome) or _include'd resources.
  const std::string bundle = Bundle({R"({"resourceType":"OperationOutcome","issue":[]})",
                                     R"({"resourceType":"Patient","id":"pat-1"})", kTendinopathy});
  CallResult r =
      CallService("achilles-patient-view", WithPrefetch("{\"conditions\":" + bundle + "," + kOtherKeys + "}"));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("eccentricRehab"), std::string::npos);
}

TEST(Prefetch, MalformedValuesAre400NamingTheKey) {
  struct Case {
    const char* conditions;
    const char* expression;
  };
  for (const Case& c :
       {Case{"42", "prefetch.conditions"}, Case{"\"Condition?patient=1\"", "prefetch.conditions"},
        Case{R"({"resourceType":"Patient","id":"x"})", "prefetch.conditions"},
        Case{R"({"resourceType":"Bundle","type":"transaction","entry":[]})", "prefetch.conditions.type"},
        Case{R"({"resourceType":"Bundle","type":"searchset","entry":{}})", "prefetch.conditions.entry"}}) {
    CallResult r = CallService("achilles-patient-view",
                               WithPrefetch(std::string("{\"conditions\":") + c.conditions + "," + kOtherKeys + "}"));
    EXPECT_EQ(r.status, 400) << c.conditions;
    EXPECT_NE(r.body.find(std::string("\"expression\":[\"") + c.expression + "\"]"), std::string::npos) << r.body;
  }
}

// CDS Hooks §prefetch tokens, for what the service fetches itself: {{context.X}} (root primitives only) and
// the {{userXxxId}} tokens; values percent-encoded so an id cannot change the query; a token the request
// cannot fill is an error naming it.
TEST(PrefetchTemplate, RendersTheSpecificationsTokens) {
  const std::string body =
      R"({"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"userId":"Practitioner/dr~1",)"
      R"("patientId":"Patient/pat-1","encounterId":"enc-9","flag":true,"n":3,"nested":{"a":1}}})";
  rapidjson::Document doc = test::Json(body);
  auto request = ParseHookRequest(doc, cards::Hook::kPatientView);
  ASSERT_TRUE(request.ok()) << request.error().message;
  auto render = [&](const char* t) { return RenderPrefetchTemplate(t, *request); };
  EXPECT_EQ(*render("Patient/{{context.patientId}}"), "Patient/pat-1");  // the normalised id
  EXPECT_EQ(*render("Encounter/{{context.encounterId}}"), "Encounter/enc-9");
  EXPECT_EQ(*render("Practitioner/{{userPractitionerId}}"), "Practitioner/dr~1");
  EXPECT_EQ(*render("X?u={{context.userId}}"), "X?u=Practitioner%2Fdr~1");  // a value cannot add a path
  EXPECT_EQ(*render("X?a={{context.flag}}&b={{context.n}}"), "X?a=true&b=3");
  EXPECT_EQ(*render("Observation?patient={{context.patientId}}&code=http://loinc.org|39156-5"),
            "Observation?patient=pat-1&code=http://loinc.org%7C39156-5");
  for (const auto& [tmpl, says] : std::vector<std::pair<const char*, const char*>>{
           {"Patient/{{userPatientId}}", "{{userPatientId}}: context.userId is not a Patient"},
           {"X/{{context.nested}}", "{{context.nested}}: context.nested is not a primitive value"},
           {"X/{{context.absent}}", "{{context.absent}}: the request has no context.absent"},
           {"X/{{patientId}}", "{{patientId}}: not a CDS Hooks prefetch token"},
           {"X/{{context.patientId", "unclosed {{"},
       }) {
    auto r = render(tmpl);
    ASSERT_FALSE(r.ok()) << tmpl;
    EXPECT_NE(r.error().message.find(says), std::string::npos) << r.error().message;
  }
}

TEST(PrefetchTemplate, AnAbsentEncounterIsAMissingToken) {
  rapidjson::Document doc = test::Json(PatientView(Prefetch{}));
  doc["context"].RemoveMember("encounterId");
  auto request = ParseHookRequest(doc, cards::Hook::kPatientView);
  ASSERT_TRUE(request.ok());
  auto r = RenderPrefetchTemplate("Encounter/{{context.encounterId}}", *request);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no context.encounterId"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace cds::hooks
