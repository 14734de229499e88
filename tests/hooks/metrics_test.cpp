// GET /metrics and /readyz through the real HTTP server: what Prometheus scrapes counts what was answered,
// by handler, service and status; cards by rule; JWT rejections by reason (never the token); access is an
// address allowlist or the EHR's own JWT, as configured; every answer carries an X-Request-Id.
#include "hooks/metrics.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <thread>

#include "hooks/jwt.h"
#include "hooks/server_settings.h"
#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/jwt_mint.h"
#include "tests/support/metrics_text.h"
#include "tests/support/requests.h"
#include "tests/support/test_server.h"

namespace cds::test {
namespace {

const std::string kView = PatientView(
    WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg", "2026-11-10")}));

HttpResult Send(uint16_t port, const std::string& raw) {
  TestConnection c(port);
  c.Write(raw);
  return c.Read();
}

TEST(Metrics, RequestsAreCountedByHandlerServiceAndStatusAndCardsByRule) {
  hooks::Metrics metrics;
  TestServer server(TestSettings(), ConfigDir(), hooks::TodayUtc, hooks::UnixNow, nullptr, &metrics);
  const std::string service = "/cds-services/achilles-patient-view";
  ASSERT_EQ(Post(server.port(), service, kView).status, 200);
  ASSERT_EQ(Post(server.port(), service, kView).status, 200);
  ASSERT_EQ(Post(server.port(), service, "{}").status, 400);
  ASSERT_EQ(Get(server.port(), "/cds-services").status, 200);
  ASSERT_EQ(Get(server.port(), "/no-such-thing").status, 404);
  ASSERT_EQ(Get(server.port(), "/readyz").status, 200);  // no card log here: nothing to be unready about

  const HttpResult r = Get(server.port(), "/metrics");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& m = r.body;
  EXPECT_EQ(Series(m, R"(achilles_http_requests_total{handler="service",service="achilles-patient-view",status="200"})"), 2) << m;
  EXPECT_EQ(Series(m, R"(achilles_http_requests_total{handler="service",service="achilles-patient-view",status="400"})"), 1) << m;
  EXPECT_EQ(Series(m, R"(achilles_http_requests_total{handler="discovery",service="",status="200"})"), 1) << m;
  EXPECT_EQ(Series(m, R"(achilles_http_requests_total{handler="other",service="",status="404"})"), 1) << m;
  EXPECT_EQ(Series(m, R"(achilles_http_requests_total{handler="readyz",service="",status="200"})"), 1) << m;
  EXPECT_EQ(Series(m, R"(achilles_http_request_duration_seconds_count{handler="service",service="achilles-patient-view"})"), 3) << m;
  // Every latency lands in a bucket at or under +Inf, and the buckets add up.
  EXPECT_EQ(Series(m, R"(achilles_http_request_duration_seconds_bucket{handler="service",service="achilles-patient-view",le="+Inf"})"), 3) << m;
  EXPECT_EQ(Series(m, R"(achilles_cards_total{indicator="info",rule="eccentric-rehab",service="achilles-patient-view"})"), 2) << m;
  EXPECT_EQ(Series(m, R"(achilles_config_reloads_total{result="failed"})"), 0) << m;
  EXPECT_NE(m.find("achilles_build_info{compiler=\""), std::string::npos) << m;
  // The scrape being answered is counted once it is answered.
  EXPECT_EQ(Series(Get(server.port(), "/metrics").body, R"(achilles_http_requests_total{handler="metrics",service="",status="200"})"), 1);
  // Nothing of the request reached a label.
  for (const char* leak : {"pat-1", "c1\"", "M76.62", "tendinitis"}) EXPECT_EQ(m.find(leak), std::string::npos) << leak;
}

TEST(Metrics, AnAddressOffTheAllowlistIs403AndMetricsOffIs404) {
  hooks::Metrics metrics;
  hooks::ServerSettings s = TestSettings();
  s.metrics.allow_from = {"10.0.0.0/8", "fd00::/8"};
  TestServer server(s, ConfigDir(), hooks::TodayUtc, hooks::UnixNow, nullptr, &metrics);
  HttpResult r = Get(server.port(), "/metrics");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("\"resourceType\":\"OperationOutcome\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("metrics.allowFrom"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("achilles_"), std::string::npos) << r.body;
  EXPECT_EQ(Series(metrics.Render(), R"(achilles_http_requests_total{handler="metrics",service="",status="403"})"), 1);

  hooks::ServerSettings off = TestSettings();
  off.metrics.enabled = false;
  TestServer quiet(off, ConfigDir(), hooks::TodayUtc, hooks::UnixNow, nullptr, &metrics);
  r = Get(quiet.port(), "/metrics");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_NE(r.body.find("metrics.enabled"), std::string::npos) << r.body;
  r = Post(quiet.port(), "/metrics", "{}");
  EXPECT_EQ(r.status, 405) << r.body;
}

TEST(Metrics, AuthenticationModeWantsTheEhrsJwtAndRejectionsAreCountedByReasonOnly) {
  const SigningKey key = SigningKey::Generate("ES256", "kid-1");
  auto keys = hooks::ParseJwks(key.PublicJwks());
  ASSERT_TRUE(keys.ok());
  hooks::TrustedClient client;
  client.iss = "https://ehr.example";
  client.file_keys = std::make_shared<const std::vector<hooks::VerifyKey>>(std::move(*keys));
  hooks::ServerSettings s = TestSettings();
  s.auth.required = true;
  s.auth.clients = {client};
  s.public_base_url = "https://cds.example";
  s.metrics.authenticate = true;
  s.metrics.allow_from = {};  // the allowlist is not what decides in this mode
  hooks::Metrics metrics;
  TestServer server(s, ConfigDir(), hooks::TodayUtc, hooks::UnixNow, nullptr, &metrics);

  EXPECT_EQ(Get(server.port(), "/metrics").status, 401);
  const std::string garbage = "Bearer not-a-jwt-SECRET-7c1d";
  EXPECT_EQ(Send(server.port(), RawRequest("GET", "/metrics", "", "", "Authorization: " + garbage + "\r\n")).status, 401);
  const std::string token = key.Sign(Claims("https://ehr.example", "https://cds.example", hooks::UnixNow()));
  const HttpResult r = Send(server.port(), RawRequest("GET", "/metrics", "", "", "Authorization: Bearer " + token + "\r\n"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Series(r.body, R"(achilles_auth_rejections_total{reason="no_token"})"), 1) << r.body;
  EXPECT_EQ(Series(r.body, R"(achilles_auth_rejections_total{reason="malformed"})"), 1) << r.body;
  EXPECT_EQ(Series(r.body, R"(achilles_http_requests_total{handler="metrics",service="",status="401"})"), 2) << r.body;
  EXPECT_EQ(r.body.find("SECRET-7c1d"), std::string::npos) << r.body;
  // The same token again is a replay.
  EXPECT_EQ(Send(server.port(), RawRequest("GET", "/metrics", "", "", "Authorization: Bearer " + token + "\r\n")).status, 401);
  EXPECT_EQ(Series(metrics.Render(), R"(achilles_auth_rejections_total{reason="replay"})"), 1);
  // /readyz stays public (a load balancer has no EHR key).
  EXPECT_EQ(Get(server.port(), "/readyz").status, 200);
}

TEST(Metrics, EveryAnswerCarriesARequestIdAndAPlainOneSentIsKept) {
  TestServer server;
  HttpResult r = Send(server.port(), RawRequest("GET", "/healthz", "", "", "X-Request-Id: lb-7f3a.9_e\r\n"));
  EXPECT_EQ(r.header("x-request-id"), "lb-7f3a.9_e");
  r = Send(server.port(), RawRequest("GET", "/healthz", "", "", "X-Request-Id: has space and <angle>\r\n"));
  EXPECT_EQ(r.header("x-request-id").size(), 16u) << r.header("x-request-id");
  EXPECT_EQ(r.header("x-request-id").find_first_not_of("0123456789abcdef"), std::string::npos);
  const std::string a = Get(server.port(), "/healthz").header("x-request-id");
  const std::string b = Get(server.port(), "/healthz").header("x-request-id");
  EXPECT_EQ(a.size(), 16u);
  EXPECT_NE(a, b);
  r = Send(server.port(), RawRequest("POST", "/cds-services/achilles-patient-view", "{", "application/json",
                                     "X-Request-Id: ehr-call-1\r\n"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.header("x-request-id"), "ehr-call-1");
}

TEST(Metrics, TheScrapeIsSafeWhileRequestsRunOnEveryThread) {
  hooks::Metrics metrics;
  hooks::ServerSettings s = TestSettings();
  s.threads = 4;
  TestServer server(s, ConfigDir(), hooks::TodayUtc, hooks::UnixNow, nullptr, &metrics);
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) Post(server.port(), "/cds-services/achilles-patient-view", kView);
    });
  }
  for (int i = 0; i < 20; ++i) EXPECT_EQ(Get(server.port(), "/metrics").status, 200);
  for (auto& c : callers) c.join();
  const std::string m = metrics.Render();
  EXPECT_EQ(Series(m, R"(achilles_http_requests_total{handler="service",service="achilles-patient-view",status="200"})"), 200) << m;
  EXPECT_EQ(Series(m, R"(achilles_cards_total{indicator="info",rule="eccentric-rehab",service="achilles-patient-view"})"), 200) << m;
}

TEST(AddressRanges, Ipv4Ipv6AndMappedAddressesMatchTheirPrefix) {
  using hooks::AddressInRanges;
  EXPECT_TRUE(AddressInRanges("127.0.0.1", {"127.0.0.0/8"}));
  EXPECT_TRUE(AddressInRanges("10.200.3.4", {"192.168.0.0/16", "10.0.0.0/8"}));
  EXPECT_FALSE(AddressInRanges("11.0.0.1", {"10.0.0.0/8"}));
  EXPECT_TRUE(AddressInRanges("192.0.2.7", {"192.0.2.7"}));
  EXPECT_FALSE(AddressInRanges("192.0.2.8", {"192.0.2.7"}));
  EXPECT_TRUE(AddressInRanges("192.0.2.8", {"192.0.2.0/28"}));  // .0–.15
  EXPECT_FALSE(AddressInRanges("192.0.2.8", {"192.0.2.0/29"}));  // .0–.7
  EXPECT_TRUE(AddressInRanges("1.2.3.4", {"0.0.0.0/0"}));
  EXPECT_TRUE(AddressInRanges("::1", {"::1/128"}));
  EXPECT_FALSE(AddressInRanges("::2", {"::1/128"}));
  EXPECT_TRUE(AddressInRanges("fd12:3456::1", {"fd00::/8"}));
  EXPECT_TRUE(AddressInRanges("::ffff:10.1.2.3", {"10.0.0.0/8"}));  // a dual-stack socket's IPv4 peer
  EXPECT_FALSE(AddressInRanges("::1", {"127.0.0.0/8"}));
  EXPECT_FALSE(AddressInRanges("", {"0.0.0.0/0"}));
  EXPECT_FALSE(AddressInRanges("not-an-ip", {"0.0.0.0/0"}));
  EXPECT_FALSE(AddressInRanges("10.0.0.1", {"10.0.0.0/33", "10.0.0.0/x", "10.0.0.0/"}));
}

TEST(MetricsSettings, BadValuesAreConfigurationErrorsNamingTheKey) {
  TempDir dir;
  auto load = [&](const std::string& json) {
    std::ofstream(dir.Join("server.json")) << json;
    return hooks::ServerSettings::Load(dir.Join("server.json"), dir.path());
  };
  const hooks::ServerSettings ok =
      load(R"({"metrics": {"access": "allowlist", "allowFrom": ["10.0.0.0/8", "::1"]}, "logFormat": "json"})");
  EXPECT_EQ(ok.metrics.allow_from.size(), 2u);
  EXPECT_FALSE(ok.metrics.authenticate);
  EXPECT_TRUE(ok.json_log);
  EXPECT_TRUE(load(R"({"metrics": {"access": "authentication"}})").metrics.authenticate);
  const hooks::ServerSettings defaults = load("{}");
  EXPECT_TRUE(defaults.metrics.enabled);
  EXPECT_FALSE(defaults.json_log);
  EXPECT_TRUE(hooks::AddressInRanges("127.0.0.1", defaults.metrics.allow_from));
  EXPECT_FALSE(hooks::AddressInRanges("10.0.0.1", defaults.metrics.allow_from));
  for (const auto& [json, key] : std::vector<std::pair<std::string, std::string>>{
           {R"({"metrics": {"access": "open"}})", "access"},
           {R"({"metrics": {"allowFrom": ["10.0.0.0/40"]}})", "allowFrom"},
           {R"({"metrics": {"allowFrom": ["intranet"]}})", "allowFrom"},
           {R"({"metrics": {"allowed": true}})", "allowed"},
           {R"({"logFormat": "xml"})", "logFormat"}}) {
    try {
      load(json);
      ADD_FAILURE() << json << " was accepted";
    } catch (const fhir::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << json << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace cds::test
