// The adherence report where analysts get it: GET /audit and /audit/report.json on the real server (only
// when audit.reportEndpoint is on, behind authentication like every other non-public route), and
// `achilles-cds audit report` from the real binary — both over the hand-counted card log.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "audit/calendar.h"
#include "audit/store.h"
#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/json.h"
#include "tests/support/process.h"
#include "tests/support/report_scenario.h"
#include "tests/support/test_server.h"

namespace cds::test {
namespace {

class AuditReportRoutes : public ::testing::Test {
 protected:
  AuditReportRoutes() { WriteReportScenario(*audit::OpenStore("sqlite:" + Db())); }
  std::string Db() const { return dir_.Join("audit.db"); }
  hooks::ServerSettings Settings(bool endpoint, bool auth = false) const {
    hooks::ServerSettings s = TestSettings();
    s.audit.enabled = true;
    s.audit.report_endpoint = endpoint;
    s.audit.data_dir = dir_.path();
    s.auth.required = auth;
    return s;
  }
  TempDir dir_;
};

constexpr char kPeriod[] = "?from=2026-11-16&to=2026-11-29";

TEST_F(AuditReportRoutes, TheReportIsServedAsJsonAndAsHtml) {
  // Today is 2026-11-29 for this server: the default period is the twelve weeks to it.
  TestServer server(Settings(true), ConfigDir(), [] { return fhir::Date{static_cast<int32_t>(*audit::ParseDay("2026-11-29"))}; });
  const HttpResult json = Get(server.port(), std::string("/audit/report.json") + kPeriod);
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(json.header("content-type"), "application/json");
  rapidjson::Document d = Json(json.body);
  EXPECT_EQ(d["total"]["issued"].GetInt(), 6);
  EXPECT_EQ(d["total"]["patients"].GetInt(), 4);
  // Titles and reasons come from the running configuration.
  EXPECT_STREQ(d["rules"][1]["title"].GetString(), "Loading programme for Achilles tendinopathy");
  EXPECT_STREQ(d["rules"][1]["overrideReasons"][0]["display"].GetString(), "Patient already follows an exercise programme");

  const HttpResult html = Get(server.port(), std::string("/audit") + kPeriod);
  ASSERT_EQ(html.status, 200);
  EXPECT_EQ(html.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(html.header("cache-control"), "no-store");
  EXPECT_NE(html.body.find("<svg"), std::string::npos);
  EXPECT_NE(html.body.find("Cards issued 2026-11-16 to 2026-11-29"), std::string::npos);
  // Without a period: the twelve weeks to today (2026-09-07 … 2026-11-29): every card but c6 (11-30).
  const HttpResult recent = Get(server.port(), "/audit/report.json");
  ASSERT_EQ(recent.status, 200);
  EXPECT_STREQ(Json(recent.body)["from"].GetString(), "2026-09-07");
  EXPECT_EQ(Json(recent.body)["total"]["issued"].GetInt(), 7);
}

TEST_F(AuditReportRoutes, BadPeriodsWrongMethodsAndAnOffSwitch) {
  {
    TestServer server(Settings(true));
    for (const char* q : {"?from=2026-11-30&to=2026-11-01", "?from=yesterday", "?to=2026-02-30"}) {
      const HttpResult r = Get(server.port(), std::string("/audit/report.json") + q);
      EXPECT_EQ(r.status, 400) << q;
      EXPECT_EQ(Json(r.body)["resourceType"], "OperationOutcome");
      const std::string field = Json(r.body)["issue"][0]["expression"][0].GetString();
      EXPECT_TRUE(field == "from" || field == "to") << r.body;
    }
    EXPECT_EQ(Post(server.port(), "/audit", "{}").status, 405);
  }
  {
    TestServer server(Settings(false));
    const HttpResult r = Get(server.port(), "/audit");
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.body.find("audit.reportEndpoint"), std::string::npos) << r.body;
  }
  {
    TestServer server(Settings(true, /*auth=*/true));
    const HttpResult r = Get(server.port(), "/audit/report.json");
    EXPECT_EQ(r.status, 401);  // no signed token: no report
    EXPECT_EQ(r.body.find("issued"), std::string::npos);
  }
}

TEST_F(AuditReportRoutes, TheCommandWritesEachFormat) {
  const std::string out = dir_.Join("report.csv");
  ProcessResult r = RunBinary({"audit", "report", "--config", ConfigDir(), "--db", "sqlite:" + Db(), "--from",
                               "2026-11-16", "--to", "2026-11-29", "--format", "csv", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(ReadFile(out).find("\nachilles-patient-view,eccentric-rehab,Loading programme for Achilles tendinopathy,"
                               "total,4,3,1,2,1,0.2500,1,"),
            std::string::npos)
      << ReadFile(out);
  r = RunBinary({"audit", "report", "--config", ConfigDir(), "--db", Db(), "--from", "2026-11-16", "--to",
                 "2026-11-29"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("All rules: 6 issued to 4 patients"), std::string::npos) << r.out;
  r = RunBinary({"audit", "report", "--config", ConfigDir(), "--db", Db(), "--format", "html", "--from", "2026-11-16"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("<!doctype html>", 0), 0u);

  struct Bad {
    std::vector<std::string> args;
    int exit;
    std::string says;
  };
  for (const Bad& bad : std::vector<Bad>{
           {{"audit"}, 2, "audit needs a subcommand"},
           {{"audit", "report", "--format", "pdf"}, 2, "--format must be text, csv, json or html"},
           {{"audit", "report", "--from", "2026-02-30"}, 2, "--from must be a date YYYY-MM-DD"},
           {{"audit", "report", "--from", "2026-12-02", "--to", "2026-12-01"}, 2, "--from must not be after to"},
           {{"audit", "report", "--db", "sqlite:" + dir_.Join("nothing.db")}, 1, "no card log at"},
       }) {
    std::vector<std::string> args = bad.args;
    args.insert(args.end(), {"--config", ConfigDir()});
    const ProcessResult p = RunBinary(args);
    EXPECT_EQ(p.exit_code, bad.exit) << bad.args.back() << p.err;
    EXPECT_NE(p.err.find(bad.says), std::string::npos) << p.err;
  }
}

}  // namespace
}  // namespace cds::test
