// The CDS Hooks specification's own example requests (tests/data/spec-examples/), through the real HTTP
// server. Bare contexts are wrapped into full requests with the prefetch our discovery document asks for.
#include <gtest/gtest.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include "fhir/json_document.h"

#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/json.h"
#include "tests/support/requests.h"
#include "tests/support/test_server.h"

namespace cds::hooks {
namespace {

using namespace cds::test;

std::string Example(const std::string& name) { return ReadFile(SourcePath("tests/data/spec-examples/" + name)); }

std::string ToJson(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

// {hook, hookInstance, context: <the example's context>, prefetch: <every key null>}
std::string Wrap(const std::string& hook, const std::string& example_with_context) {
  rapidjson::Document d = Json(example_with_context);
  EXPECT_FALSE(d.HasParseError());
  return "{\"hook\":\"" + hook + "\",\"hookInstance\":\"" + kHookInstance + "\",\"context\":" + ToJson(d["context"]) +
         ",\"prefetch\":" + PrefetchJson(Prefetch{}) + "}";
}

class SpecExamples : public ::testing::Test {
 protected:
  TestServer server_;
};

TEST_F(SpecExamples, PatientViewContextsGiveNoCardsForAPatientWithoutTendinopathy) {
  for (const char* name : {"patient-view-01-context.json", "patient-view-02-context.json"}) {
    HttpResult r = Post(server_.port(), "/cds-services/achilles-patient-view", Wrap("patient-view", Example(name)));
    EXPECT_EQ(r.status, 200) << name << r.body;
    // index-10-http-response.json: "no decision support" is an empty cards array.
    rapidjson::Document expected = Json(Example("index-10-http-response.json"));
    EXPECT_EQ(r.body, ToJson(expected)) << name;
  }
}

TEST_F(SpecExamples, OrderSelectAndOrderSignExamplesAreAcceptedAndQuiet) {
  // Amoxicillin and a pureed diet: nothing for the Achilles rules to say.
  HttpResult select = Post(server_.port(), "/cds-services/achilles-order-select",
                           Wrap("order-select", Example("order-select-01-example-r4.json")));
  EXPECT_EQ(select.status, 200) << select.body;
  EXPECT_EQ(select.body, R"({"cards":[]})");
  HttpResult sign = Post(server_.port(), "/cds-services/achilles-order-sign",
                         Wrap("order-sign", Example("order-sign-01-example-r4.json")));
  EXPECT_EQ(sign.status, 200) << sign.body;
  EXPECT_EQ(sign.body, R"({"cards":[]})");
}

TEST_F(SpecExamples, FullPatientViewRequestWithAuthorizationIsValidButLacksOurPrefetch) {
  // index-02: fhirServer + fhirAuthorization + a prefetch key of another service → 412 naming our keys.
  HttpResult r = Post(server_.port(), "/cds-services/achilles-patient-view", Example("index-02-example.json"));
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_NE(r.body.find("conditions"), std::string::npos);
  // The same request with the prefetch we ask for is answered.
  std::string body = Example("index-02-example.json");
  body.replace(
      body.find("\"prefetch\": {"), std::string("\"prefetch\": {").size(),
      "\"prefetch\": {\"conditions\": null, \"medications\": null, \"serviceRequests\": null, \"procedures\": null, "
      "\"bmi\": null, \"patient\": {\"resourceType\": \"Patient\", \"id\": \"1288992\", \"birthDate\": "
      "\"1925-12-23\"},");
  EXPECT_EQ(Post(server_.port(), "/cds-services/achilles-patient-view", body).status, 200);
}

TEST_F(SpecExamples, ExtensionsAreToleratedAndTheMissingPatientIdIsNamed) {
  // index-26 carries extensions and a context without patientId.
  HttpResult r = Post(server_.port(), "/cds-services/achilles-patient-view", Example("index-26-extensions.json"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("context.patientId"), std::string::npos) << r.body;
  std::string body = Example("index-26-extensions.json");
  body.replace(body.find("\"userId\": \"Practitioner/example\""),
               std::string("\"userId\": \"Practitioner/example\"").size(),
               "\"userId\": \"Practitioner/example\", \"patientId\": \"1288992\"");
  body.insert(body.rfind('}'), ", \"prefetch\": " + PrefetchJson(Prefetch{}));
  HttpResult ok = Post(server_.port(), "/cds-services/achilles-patient-view", body);
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(SpecExamples, DraftOrdersFromThePrefetchTokenExample) {
  // index-05's draftOrders bundle (no type) as an order-sign request.
  rapidjson::Document d = Json(Example("index-05-example-prefetch-token.json"));
  const std::string body =
      "{\"hook\":\"order-sign\",\"hookInstance\":\"" + std::string(kHookInstance) +
      "\",\"context\":{\"userId\":\"Practitioner/example\",\"patientId\":\"1288992\",\"draftOrders\":" +
      ToJson(d["context"]["draftOrders"]) + "},\"prefetch\":" + PrefetchJson(Prefetch{}) + "}";
  HttpResult r = Post(server_.port(), "/cds-services/achilles-order-sign", body);
  EXPECT_EQ(r.status, 200) << r.body;
}

}  // namespace
}  // namespace cds::hooks
