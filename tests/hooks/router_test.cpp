// hooks/router.cpp without a socket: routes, methods, media types, CORS.
#include "hooks/router.h"

#include <gtest/gtest.h>

#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/recorder.h"
#include "cards/rule_id.h"
#include "tests/support/requests.h"
#include "tests/support/test_server.h"

namespace cds::hooks {
namespace {

using namespace cds::test;

class RouterTest : public ::testing::Test {
 protected:
  HttpResponse Handle(Method method, const std::string& target, std::string body = "",
                      const std::string& content_type = "application/json", const std::string& origin = "") {
    body_ = std::move(body);
    HttpRequest req{method, target, content_type, origin, "cds.example:8080", &body_, ""};
    HttpResponse resp;
    router().Handle(req, resp);
    RecordResponse(KindOf(target, resp.status), resp.status, resp.body);
    return resp;
  }
  static std::string Header(const HttpResponse& r, std::string_view name) {
    for (std::size_t i = 0; i < r.header_count; ++i) {
      if (r.headers[i].name == name) return std::string(r.headers[i].value);
    }
    return "";
  }

  // Built on first use, so a test can change settings_ (or the config folder) first.
  AppState& state() {
    if (!state_) state_ = std::make_unique<AppState>(config_dir_, settings_);
    return *state_;
  }
  Router& router() {
    if (!router_) router_ = std::make_unique<Router>(state());
    return *router_;
  }

  ServerSettings settings_ = TestSettings();  // authentication off: tests/hooks/auth_test.cpp turns it on
  std::string config_dir_ = ConfigDir();
  std::unique_ptr<AppState> state_;
  std::unique_ptr<Router> router_;
  std::string body_;
};

TEST_F(RouterTest, DiscoveryAndHealth) {
  HttpResponse d = Handle(Method::kGet, "/cds-services");
  EXPECT_EQ(d.status, 200);
  EXPECT_EQ(d.body, state().Current()->discovery);
  EXPECT_EQ(Handle(Method::kGet, "/cds-services/?x=1").status, 200);
  HttpResponse h = Handle(Method::kGet, "/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, R"({"status":"ok"})");
}

TEST_F(RouterTest, ServiceCallReturnsCards) {
  HttpResponse r = Handle(Method::kPost, "/cds-services/achilles-patient-view", PatientView(Prefetch{}));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"cards":[]})");
}

TEST_F(RouterTest, UnknownServiceIs404AndUnknownRouteToo) {
  HttpResponse r = Handle(Method::kPost, "/cds-services/nope", PatientView(Prefetch{}));
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("No CDS service \\\"nope\\\""), std::string::npos) << r.body;
  EXPECT_EQ(Handle(Method::kGet, "/nothing-here").status, 404);
  EXPECT_EQ(Handle(Method::kGet, "/cds-services/a/b").status, 404);
}

// CDS Hooks §Feedback on every service: checked, and answered 200 with no body (this router records nothing:
// tests/hooks/audit_log_test.cpp covers the card log); an empty batch is a 400 naming "feedback".
TEST_F(RouterTest, FeedbackIsCheckedAndAnswered) {
  HttpResponse empty = Handle(Method::kPost, "/cds-services/achilles-order-sign/feedback", "{\"feedback\":[]}");
  EXPECT_EQ(empty.status, 400);
  EXPECT_NE(empty.body.find("\"expression\":[\"feedback\"]"), std::string::npos) << empty.body;
  HttpResponse ok = Handle(Method::kPost, "/cds-services/achilles-order-sign/feedback",
                           R"({"feedback":[{"card":"c1","outcome":"overridden","outcomeTimestamp":"2026-12-01T10:00:00Z"}]})");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.body, "");
}

// CORS on every path under /cds-services: a browser EHR preflights feedback too, and must get through.
TEST_F(RouterTest, PreflightPassesOnEveryPathUnderCdsServices) {
  for (const char* path : {"/cds-services/achilles-order-sign/feedback", "/cds-services/achilles-patient-view",
                           "/cds-services/unknown-service", "/cds-services/a/b/c"}) {
    HttpResponse r = Handle(Method::kOptions, path, "", "", "https://sandbox.cds-hooks.org");
    EXPECT_EQ(r.status, 204) << path;
    EXPECT_EQ(Header(r, "Access-Control-Allow-Origin"), "*") << path;
    EXPECT_EQ(Header(r, "Access-Control-Allow-Headers"), "Content-Type, Authorization") << path;
  }
  EXPECT_EQ(Header(Handle(Method::kOptions, "/cds-services/achilles-order-sign/feedback"), "Allow"), "POST, OPTIONS");
}

// A discovery URL typed with a trailing slash makes "/cds-services//id"; proxies send absolute-form targets.
TEST_F(RouterTest, DoubledSlashesAndAbsoluteFormTargetsRoute) {
  for (const char* target : {"/cds-services//achilles-patient-view", "//cds-services/achilles-patient-view",
                             "http://cds.example:8080/cds-services/achilles-patient-view",
                             "https://cds.example/cds-services//achilles-patient-view?x=1"}) {
    EXPECT_EQ(Handle(Method::kPost, target, PatientView(Prefetch{})).status, 200) << target;
  }
  EXPECT_EQ(Handle(Method::kGet, "http://cds.example:8080/cds-services").status, 200);
  std::string storage;
  EXPECT_EQ(NormalisedPath("http://h", storage), "/");
  EXPECT_EQ(NormalisedPath("/a///b?c//d", storage), "/a/b");
  EXPECT_EQ(NormalisedPath("/a/b?c//d", storage), "/a/b");
}

// source.url names a page describing the rule, served here: never a dead "#" link.
TEST_F(RouterTest, EveryRuleHasAPageAndCardsLinkIt) {
  for (cards::RuleId id : cards::kAllRules) {
    const std::string rule(cards::RuleIdName(id));
    HttpResponse page = Handle(Method::kGet, "/rules/" + rule);
    ASSERT_EQ(page.status, 200) << rule;
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
    EXPECT_NE(page.body.find("<h2>What it does</h2>"), std::string::npos) << rule << " has no section in the docs";
    EXPECT_NE(page.body.find("<h2>Evidence</h2>"), std::string::npos) << rule << " links no evidence";
    EXPECT_EQ(page.body.find("<script"), std::string::npos);
    EXPECT_EQ(page.body.find("{side}"), std::string::npos) << rule << ": a slot shown raw";
  }
  EXPECT_EQ(Handle(Method::kGet, "/rules/no-such-rule").status, 404);
  HttpResponse r = Handle(Method::kPost, "/cds-services/achilles-patient-view",
                          PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")})));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"url\":\"http://cds.example:8080/rules/eccentric-rehab\""), std::string::npos) << r.body;
}

TEST_F(RouterTest, APublicBaseUrlWinsOverTheHostHeader) {
  settings_.public_base_url = "https://cds.hospital.example";
  HttpResponse r = Handle(Method::kPost, "/cds-services/achilles-patient-view",
                          PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")})));
  EXPECT_NE(r.body.find("\"url\":\"https://cds.hospital.example/rules/eccentric-rehab\""), std::string::npos) << r.body;
  EXPECT_EQ(RulePageBase(ServerSettings{}, "evil.example/x?"), "");  // a Host that is not a host is not used
}

// Every non-2xx carries what the log line needs, and nothing from the request's values.
TEST_F(RouterTest, RefusalsNameTheFieldAndServiceForTheLog) {
  HttpResponse r = Handle(Method::kPost, "/cds-services/achilles-order-sign",
                          "{\"hook\":\"order-sign\",\"hookInstance\":\"x\",\"context\":{\"userId\":\"Practitioner/1\"}}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_field, "context.patientId");
  EXPECT_EQ(r.service, "achilles-order-sign");
  HttpResponse unknown = Handle(Method::kPost, "/cds-services/Patient-Jane-Doe", "{}");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.service, "");  // an unknown id is client text: never logged
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  HttpResponse get_service = Handle(Method::kGet, "/cds-services/achilles-order-sign");
  EXPECT_EQ(get_service.status, 405);
  EXPECT_EQ(Header(get_service, "Allow"), "POST, OPTIONS");
  HttpResponse post_discovery = Handle(Method::kPost, "/cds-services", "{}");
  EXPECT_EQ(post_discovery.status, 405);
  EXPECT_EQ(Header(post_discovery, "Allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(Handle(Method::kOther, "/healthz").status, 405);
}

TEST_F(RouterTest, NonJsonBodyIs415) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "", "application/jsonx"}) {
    EXPECT_EQ(Handle(Method::kPost, "/cds-services/achilles-patient-view", PatientView(Prefetch{}), type).status, 415)
        << type;
  }
  for (const char* type : {"application/json; charset=utf-8", "Application/JSON", "application/fhir+json"}) {
    EXPECT_EQ(Handle(Method::kPost, "/cds-services/achilles-patient-view", PatientView(Prefetch{}), type).status, 200)
        << type;
  }
}

TEST_F(RouterTest, MalformedJsonIs400WithTheOffset) {
  HttpResponse r = Handle(Method::kPost, "/cds-services/achilles-patient-view", "{\"hook\": \"patient-view\",,}");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Malformed JSON at byte offset 24"), std::string::npos) << r.body;
}

// The sandbox sends a preflight asking for authorization,content-type before every call.
TEST_F(RouterTest, PreflightNeedsNoCredentials) {
  HttpResponse r =
      Handle(Method::kOptions, "/cds-services/achilles-order-sign", "", "", "https://sandbox.cds-hooks.org");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(Header(r, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(Header(r, "Access-Control-Allow-Methods"), "GET, POST, OPTIONS");
  EXPECT_EQ(Header(r, "Access-Control-Allow-Headers"), "Content-Type, Authorization");
  EXPECT_EQ(Header(r, "Access-Control-Allow-Credentials"), "");
  EXPECT_EQ(Handle(Method::kOptions, "/cds-services").status, 204);
}

TEST_F(RouterTest, ErrorsCarryCorsHeadersToo) {
  HttpResponse r = Handle(Method::kPost, "/cds-services/nope", "{}", "application/json", "https://ehr.example");
  EXPECT_EQ(Header(r, "Access-Control-Allow-Origin"), "*");
}

// A SIGHUP after editing server.json applies the new CORS origins (and says which settings need a restart).
TEST_F(RouterTest, AReloadAppliesNewCorsOrigins) {
  ConfigCopy config;
  config_dir_ = config.path();
  EXPECT_EQ(Header(Handle(Method::kOptions, "/cds-services", "", "", "https://ehr.example"), "Access-Control-Allow-Origin"),
            "*");
  config.Edit("server.json", "\"corsAllowedOrigins\": [\"*\"]", "\"corsAllowedOrigins\": [\"https://ehr.example\"]");
  config.Edit("server.json", "\"port\": 8080", "\"port\": 9090");
  const AppState::ReloadResult result = state().Reload();
  ASSERT_FALSE(result.error) << *result.error;
  EXPECT_EQ(result.restart_needed, std::vector<std::string>{"port"});
  EXPECT_EQ(Header(Handle(Method::kOptions, "/cds-services", "", "", "https://ehr.example"), "Access-Control-Allow-Origin"),
            "https://ehr.example");
  EXPECT_EQ(Header(Handle(Method::kOptions, "/cds-services", "", "", "https://evil.example"), "Access-Control-Allow-Origin"),
            "");
}

TEST_F(RouterTest, ConfiguredOriginsAreEchoedOthersGetNone) {
  settings_.cors_origins = {"https://ehr.example"};
  HttpResponse allowed = Handle(Method::kOptions, "/cds-services", "", "", "https://ehr.example");
  EXPECT_EQ(Header(allowed, "Access-Control-Allow-Origin"), "https://ehr.example");
  EXPECT_EQ(Header(allowed, "Vary"), "Origin");
  HttpResponse other = Handle(Method::kOptions, "/cds-services", "", "", "https://evil.example");
  EXPECT_EQ(Header(other, "Access-Control-Allow-Origin"), "");
}

}  // namespace
}  // namespace cds::hooks
