// The adherence report where analysts get it: GET /audit and /audit/report.json on the real server (only
// when audit.reportEndpoint is on, behind authentication like every other non-public route), and
// `achilles-cds audit report` from the real binary — both over the hand-counted card log.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "audit/calendar.h"
#include "audit/store.h"
#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/json.h"
#include "tests/support/process.h"
#include "tests/support/report_scenario.h"
#include "tests/support/requests.h"
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

// Opening the card log can wait: here SQLite's write lock is held (as a writer or an analyst's tool can hold
// it) and the report waits for it. On one I/O thread, a CDS call meanwhile is answered at once, and only
// two more reports queue behind the one waiting: a fourth is told to retry.
TEST_F(AuditReportRoutes, AReportWaitingForTheCardLogHoldsUpNoCdsCall) {
  hooks::ServerSettings settings = Settings(true);
  settings.threads = 1;
  TestServer server(settings);
  sqlite3* lock = nullptr;
  ASSERT_EQ(sqlite3_open(Db().c_str(), &lock), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(lock, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::atomic<int> answered{0};
  std::vector<HttpResult> reports(4);
  std::vector<std::thread> analysts;
  for (HttpResult& r : reports) {
    analysts.emplace_back([&] {
      r = Get(server.port(), std::string("/audit/report.json") + kPeriod);
      ++answered;
    });
  }
  // All four have reached the server once the one refused for want of room has its answer.
  for (int i = 0; i < 400 && answered.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(answered.load(), 1);
  const HttpResult call = Post(server.port(), "/cds-services/achilles-patient-view",
                               PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")})));
  EXPECT_EQ(call.status, 200) << call.body;
  const HttpResult discovery = Get(server.port(), "/cds-services");
  EXPECT_EQ(discovery.status, 200);
  // Answered while the first report still waits for the lock (up to SQLite's 5 s busy timeout): still only
  // the refused one has its answer.
  EXPECT_EQ(answered.load(), 1);
  ASSERT_EQ(sqlite3_exec(lock, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(lock);
  for (std::thread& t : analysts) t.join();
  int ok = 0, busy = 0;
  for (const HttpResult& r : reports) {
    if (r.status == 200) {
      ++ok;
      EXPECT_EQ(Json(r.body)["total"]["issued"].GetInt(), 6);
    } else {
      ++busy;
      EXPECT_EQ(r.status, 503) << r.body;
      EXPECT_NE(r.body.find("try again"), std::string::npos) << r.body;
      EXPECT_EQ(r.header("retry-after"), "1");
    }
  }
  EXPECT_EQ(ok, 3);
  EXPECT_EQ(busy, 1);
}

// The service stopped while a report still waits for the card log: past the shutdown grace the server's
// contexts stop, and the report, once read, answers into them — so the router waits for it before the server
// is destroyed (under AddressSanitizer, answering into a destroyed context is caught here).
TEST_F(AuditReportRoutes, AServerStoppedWhileAReportWaitsEndsCleanly) {
  hooks::ServerSettings settings = Settings(true);
  settings.threads = 1;
  settings.shutdown_grace = std::chrono::milliseconds(100);
  auto server = std::make_unique<TestServer>(settings);
  sqlite3* lock = nullptr;
  ASSERT_EQ(sqlite3_open(Db().c_str(), &lock), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(lock, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  HttpResult report;
  std::thread analyst([&] { report = Get(server->port(), std::string("/audit/report.json") + kPeriod); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the report waits for the lock
  std::thread unlock([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // after the grace has passed
    sqlite3_exec(lock, "ROLLBACK", nullptr, nullptr, nullptr);
  });
  server.reset();  // stops, waits for the report, then destroys the server
  unlock.join();
  analyst.join();
  sqlite3_close(lock);
  EXPECT_NE(report.status, 200);  // its connection was closed at the end of the grace
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
