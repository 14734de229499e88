// hooks/prefetch.cpp. CDS Hooks 2.0 §Prefetch: "If the CDS Service is unable to obtain the required data,
// it SHALL return 412"; an absent key (not fetched) differs from null (no data) and from an
// OperationOutcome (the client's fetch failed).
#include "hooks/prefetch.h"

#include <gtest/gtest.h>

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
      WithPrefetch(R"({"patient":null,"conditions":null,"medications":null,"procedures":null,"bmi":null})"));
  EXPECT_EQ(r.status, 412);
  EXPECT_NE(r.body.find("\\\"serviceRequests\\\" (absent)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("no fhirServer"), std::string::npos) << r.body;
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

TEST(Prefetch, WithAFhirServerStill412ButSaysFetchingIsNotSupportedYet) {
  std::string body = PatientView(Prefetch{});
  body = body.substr(0, body.find(",\"prefetch\":")) + "}";
  body.insert(1, "\"fhirServer\":\"https://ehr.example.org/fhir\",");
  CallResult r = CallService("achilles-patient-view", body);
  EXPECT_EQ(r.status, 412);
  EXPECT_NE(r.body.find("does not query the FHIR server itself yet"), std::string::npos) << r.body;
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
    EXPECT_NE(r.body.find("eccentric-rehab"), std::string::npos) << conditions;
  }
}

TEST(Prefetch, SkipsEntriesOfOtherTypes) {
  // A search can return an OperationOutcome entry (search.mode outcome) or _include'd resources.
  const std::string bundle = Bundle({R"({"resourceType":"OperationOutcome","issue":[]})",
                                     R"({"resourceType":"Patient","id":"pat-1"})", kTendinopathy});
  CallResult r =
      CallService("achilles-patient-view", WithPrefetch("{\"conditions\":" + bundle + "," + kOtherKeys + "}"));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("eccentric-rehab"), std::string::npos);
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

}  // namespace
}  // namespace cds::hooks
