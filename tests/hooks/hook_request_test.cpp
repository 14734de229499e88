// hooks/hook_request.cpp: CDS Hooks 2.0 request validation. Each malformed field is a 400 whose
// OperationOutcome names the field; unknown members and extensions are tolerated.
#include "hooks/hook_request.h"

#include <gtest/gtest.h>

#include "tests/support/requests.h"

namespace cds::hooks {
namespace {

using cards::Hook;
using namespace cds::test;

struct Parsed {
  std::string text;
  rapidjson::Document doc;
  fhir::Result<HookRequest> result = fhir::MakeError(fhir::ErrorKind::kInternal, "");
};

std::unique_ptr<Parsed> Parse(const std::string& body, Hook hook) {
  auto p = std::make_unique<Parsed>();
  p->text.reserve(body.size() + 16);  // SIMD slack: see fhir::ParseInsitu
  p->text = body;
  p->doc.Parse(p->text.c_str());
  EXPECT_FALSE(p->doc.HasParseError()) << body;
  p->result = ParseHookRequest(p->doc, hook);
  return p;
}

const std::string kValidSign = OrderSign({ServiceRequest("sr1", Concept({}, "x"))}, Prefetch{});

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(HookRequest, AcceptsAValidOrderSignAndExposesIt) {
  auto p = Parse(kValidSign, Hook::kOrderSign);
  ASSERT_TRUE(p->result.ok()) << p->result.error().message;
  EXPECT_EQ(p->result->patient_id, "pat-1");
  EXPECT_EQ(p->result->user_id, "Practitioner/example");
  EXPECT_EQ(p->result->encounter_id, "enc-1");
  EXPECT_NE(p->result->draft_orders, nullptr);
  EXPECT_NE(p->result->prefetch, nullptr);
}

// CDS Hooks §extensions: "a CDS Service MUST ignore extensions it does not understand" (HAPI #6262).
TEST(HookRequest, ToleratesUnknownMembersAndExtensions) {
  std::string body =
      Replace(kValidSign, "\"hook\":", "\"extension\":{\"com.example.x\":{\"a\":1}},\"futureField\":[1],\"hook\":");
  body = Replace(body, "\"patientId\":", "\"com.example.contextExtra\":true,\"patientId\":");
  auto p = Parse(body, Hook::kOrderSign);
  EXPECT_TRUE(p->result.ok()) << p->result.error().message;
}

struct BadField {
  const char* from;
  const char* to;
  const char* expression;
  const char* message_part;
};

class HookRequestBadField : public ::testing::TestWithParam<BadField> {};

TEST_P(HookRequestBadField, IsABadRequestNamingTheField) {
  const BadField& c = GetParam();
  auto p = Parse(Replace(kValidSign, c.from, c.to), Hook::kOrderSign);
  ASSERT_FALSE(p->result.ok());
  EXPECT_EQ(p->result.error().kind, fhir::ErrorKind::kBadRequest);
  EXPECT_EQ(p->result.error().expression, c.expression);
  EXPECT_NE(p->result.error().message.find(c.message_part), std::string::npos) << p->result.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Fields, HookRequestBadField,
    ::testing::Values(
        BadField{"\"hook\":\"order-sign\",", "", "hook", "Missing required field \"hook\""},
        BadField{"\"hook\":\"order-sign\"", "\"hook\":7", "hook", "must be a string"},
        BadField{"\"hook\":\"order-sign\"", "\"hook\":\"patient-view\"", "hook",
                 "answers the \"order-sign\" hook, not \"patient-view\""},
        BadField{"\"hookInstance\":\"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea\",", "", "hookInstance",
                 "Missing required field"},
        BadField{"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "has a space", "hookInstance", "printable characters"},
        BadField{"\"hookInstance\"", "\"fhirServer\":\"ftp://x\",\"hookInstance\"", "fhirServer",
                 "absolute http(s) URL"},
        BadField{"\"hookInstance\"", "\"fhirServer\":\"http://a b\",\"hookInstance\"", "fhirServer",
                 "absolute http(s) URL"},
        BadField{"\"hookInstance\"", "\"fhirServer\":\"https://\",\"hookInstance\"", "fhirServer",
                 "absolute http(s) URL"},
        BadField{"\"hookInstance\"", "\"fhirServer\":\"https://user@ehr/fhir\",\"hookInstance\"", "fhirServer",
                 "absolute http(s) URL"},
        BadField{"\"hookInstance\"",
                 "\"fhirAuthorization\":{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":"
                 "\"s\",\"subject\":\"x\"},\"hookInstance\"",
                 "fhirServer", "\"fhirServer\" is required when \"fhirAuthorization\" is present"},
        BadField{"\"hookInstance\"",
                 "\"fhirServer\":\"https://"
                 "ehr.example\",\"fhirAuthorization\":{\"access_token\":\"t\",\"token_type\":\"MAC\",\"expires_in\":"
                 "300,\"scope\":\"s\",\"subject\":\"x\"},\"hookInstance\"",
                 "fhirAuthorization.token_type", "must be \"Bearer\""},
        BadField{"\"patientId\":\"pat-1\"", "\"patientId\":\"Patient/a/b\"", "context.patientId", "FHIR id"},
        BadField{"\"hookInstance\"",
                 "\"fhirServer\":\"https://"
                 "ehr.example\",\"fhirAuthorization\":{\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"s\","
                 "\"subject\":\"x\"},\"hookInstance\"",
                 "fhirAuthorization.access_token", "Missing required field"},
        BadField{"\"hookInstance\"",
                 "\"fhirServer\":\"https://"
                 "ehr.example\",\"fhirAuthorization\":{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":"
                 "\"soon\",\"scope\":\"s\",\"subject\":\"x\"},\"hookInstance\"",
                 "fhirAuthorization.expires_in", "non-negative number"},
        BadField{"\"hookInstance\"", "\"extension\":[1],\"hookInstance\"", "extension", "must be a JSON object"},
        BadField{"\"context\":{", "\"contxt\":{", "context", "Missing required field \"context\""},
        BadField{"\"userId\":\"Practitioner/example\",", "", "context.userId", "Missing required field"},
        BadField{"\"userId\":\"Practitioner/example\"", "\"userId\":\"example\"", "context.userId",
                 "reference such as"},
        BadField{"\"patientId\":\"pat-1\"", "\"patientId\":1288992", "context.patientId", "must be a string"},
        BadField{"\"patientId\":\"pat-1\"", "\"patientId\":\"\"", "context.patientId", "must not be empty"},
        BadField{"\"patientId\":\"pat-1\"", "\"patientId\":\"a b/c\"", "context.patientId", "FHIR id"},
        BadField{"\"encounterId\":\"enc-1\"", "\"encounterId\":5", "context.encounterId", "must be a string"},
        BadField{"\"draftOrders\":{\"resourceType\":\"Bundle\"", "\"draftOrders\":{\"resourceType\":\"List\"",
                 "context.draftOrders.resourceType", "must be a FHIR Bundle"},
        BadField{"\"draftOrders\":", "\"draftOrderz\":", "context.draftOrders", "Missing required field"},
        BadField{"{\"resource\":{\"resourceType\":\"ServiceRequest\"", "{\"resource\":{\"resourceType\":\"\"",
                 "context.draftOrders.entry[0].resource.resourceType", "non-empty string"},
        BadField{"\"prefetch\":{", "\"prefetch\":\"x\",\"unused\":{", "prefetch", "must be an object"}));

TEST(HookRequest, OrderSelectNeedsSelectionsThatNameDraftOrders) {
  const std::vector<std::string> drafts = {ServiceRequest("sr1", Concept({}, "x"))};
  EXPECT_TRUE(Parse(OrderSelect(drafts, {"ServiceRequest/sr1"}, Prefetch{}), Hook::kOrderSelect)->result.ok());

  // An order-sign shaped body sent as order-select has no selections.
  auto wrong_hook = Parse(Replace(OrderSign(drafts, Prefetch{}), "order-sign", "order-select"), Hook::kOrderSelect);
  ASSERT_FALSE(wrong_hook->result.ok());
  EXPECT_EQ(wrong_hook->result.error().expression, "context.selections");

  auto unknown = Parse(OrderSelect(drafts, {"ServiceRequest/other"}, Prefetch{}), Hook::kOrderSelect);
  ASSERT_FALSE(unknown->result.ok());
  EXPECT_EQ(unknown->result.error().expression, "context.selections[0]");
  EXPECT_NE(unknown->result.error().message.find("not a resource in context.draftOrders"), std::string::npos);

  auto malformed = Parse(OrderSelect(drafts, {"sr1"}, Prefetch{}), Hook::kOrderSelect);
  ASSERT_FALSE(malformed->result.ok());
  EXPECT_EQ(malformed->result.error().expression, "context.selections[0]");
}

TEST(HookRequest, PatientViewNeedsNoDraftOrders) {
  auto p = Parse(PatientView(Prefetch{}), Hook::kPatientView);
  ASSERT_TRUE(p->result.ok()) << p->result.error().message;
  EXPECT_EQ(p->result->draft_orders, nullptr);
}

TEST(HookRequest, ANonObjectBodyIsABadRequest) {
  for (const char* body : {"[]", "\"text\"", "42", "null"}) {
    auto p = Parse(body, Hook::kPatientView);
    ASSERT_FALSE(p->result.ok()) << body;
    EXPECT_EQ(p->result.error().message, "The request body must be a JSON object");
  }
}

// Ids as EHRs make them: Epic's draft-order ids are ~190 characters (a stored Epic order-select request has
// one of 194), and the CDS Hooks sandbox's are FHIR ids. A generous bound, never a path character.
TEST(IsEhrId, AcceptsTheIdsEhrsSendAndNoPathCharacters) {
  EXPECT_TRUE(IsEhrId("1288992"));
  EXPECT_TRUE(IsEhrId("smart-MedicationRequest-103"));
  EXPECT_TRUE(IsEhrId("a.b-C"));
  const std::string epic =
      "eIdRHpjeEzbLS3ZcGmRmVZ8bbravWOED29hdNLJSFBrBdzDWOqd1a5MMIjQ874tKP8pBlftzNEoXvBpLw3-HLG.mXMk2EBbb0mQQchsUGub"
      "XTALDN6umdJmr2GnF3bS4FgSrc5ZsddJhasJiv.H11Qg8jd56-KfANXTJT48RrzudQ9sa5U10W1E6s2LoiBImg3";
  EXPECT_GT(epic.size(), 180u);
  EXPECT_TRUE(IsEhrId(epic));
  EXPECT_TRUE(IsEhrId(std::string(kMaxEhrId, 'a')));
  EXPECT_FALSE(IsEhrId(std::string(kMaxEhrId + 1, 'a')));
  EXPECT_FALSE(IsEhrId(""));
  for (const char* bad : {"a/b", "a b", "a?b", "a#b", "a%2Fb", "a\\b", "a\"b"}) EXPECT_FALSE(IsEhrId(bad)) << bad;
}

TEST(HookRequest, AcceptsEpicLengthSelectionIds) {
  const std::string id(190, 'e');
  const std::vector<std::string> drafts = {ServiceRequest(id, Concept({}, "x"))};
  auto p = Parse(OrderSelect(drafts, {"ServiceRequest/" + id}, Prefetch{}), Hook::kOrderSelect);
  ASSERT_TRUE(p->result.ok()) << p->result.error().message;
  EXPECT_EQ(p->result->selections[0].size(), id.size() + 15);
}

// Be liberal where the spec allows: null for an optional member is absent; token_type is case-insensitive
// (RFC 6749 §5.1); "Patient/123" names the patient 123; a hookInstance that is not a UUID (HAPI's
// "randomGUIDforthehookevent", cqf-ruler's "test") is accepted.
TEST(HookRequest, IsLiberalWhereTheSpecAllows) {
  std::string body = Replace(kValidSign, "\"encounterId\":\"enc-1\"", "\"encounterId\":null");
  body = Replace(body, "\"hookInstance\"", "\"fhirServer\":null,\"fhirAuthorization\":null,\"hookInstance\"");
  body = Replace(body, "\"patientId\":\"pat-1\"", "\"patientId\":\"Patient/pat-1\"");
  body = Replace(body, "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "randomGUIDforthehookevent");
  auto p = Parse(body, Hook::kOrderSign);
  ASSERT_TRUE(p->result.ok()) << p->result.error().message;
  EXPECT_EQ(p->result->patient_id, "pat-1");
  EXPECT_EQ(p->result->encounter_id, "");
  EXPECT_EQ(p->result->fhir_server, "");
  EXPECT_FALSE(p->result->fhir_authorization);
  EXPECT_EQ(p->result->hook_instance, "randomGUIDforthehookevent");

  const std::string bearer = Replace(
      kValidSign, "\"hookInstance\"",
      "\"fhirServer\":\"https://ehr.example/fhir\",\"fhirAuthorization\":{\"access_token\":\"t\",\"token_type\":"
      "\"bearer\",\"expires_in\":300,\"scope\":\"s\",\"subject\":\"x\"},\"hookInstance\"");
  auto lower = Parse(bearer, Hook::kOrderSign);
  EXPECT_TRUE(lower->result.ok()) << lower->result.error().message;
}

}  // namespace
}  // namespace cds::hooks
