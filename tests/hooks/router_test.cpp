// hooks/router.cpp without a socket: routes, methods, media types, CORS.
#include "hooks/router.h"

#include <gtest/gtest.h>

#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/recorder.h"
#include "tests/support/requests.h"

namespace cds::hooks {
namespace {

using namespace cds::test;

class RouterTest : public ::testing::Test {
 protected:
  HttpResponse Handle(Method method, const std::string& target, std::string body = "",
                      const std::string& content_type = "application/json", const std::string& origin = "") {
    body_ = std::move(body);
    HttpRequest req{method, target, content_type, origin, &body_};
    HttpResponse resp;
    router_.Handle(req, resp);
    RecordResponse(KindOf(target, resp.status), resp.status, resp.body);
    return resp;
  }
  static std::string Header(const HttpResponse& r, std::string_view name) {
    for (std::size_t i = 0; i < r.header_count; ++i) {
      if (r.headers[i].name == name) return std::string(r.headers[i].value);
    }
    return "";
  }

  ServerSettings settings_;
  AppState state_{ConfigDir()};
  Router router_{state_, settings_};
  std::string body_;
};

TEST_F(RouterTest, DiscoveryAndHealth) {
  HttpResponse d = Handle(Method::kGet, "/cds-services");
  EXPECT_EQ(d.status, 200);
  EXPECT_EQ(d.body, state_.Current()->discovery);
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

TEST_F(RouterTest, FeedbackIsNotSupportedYetAndSaysSo) {
  HttpResponse r = Handle(Method::kPost, "/cds-services/achilles-order-sign/feedback", "{\"feedback\":[]}");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("feedback is not supported"), std::string::npos);
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
