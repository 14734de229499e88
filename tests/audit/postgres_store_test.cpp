// audit/postgres_store.cpp against a real PostgreSQL server (tests/support/postgres_server): the migration
// from an empty database (once, with replicas starting together), batches as transactions, repeats kept
// once, many writers at once, a database from a newer build refused, an unreachable server reported without
// its password, a server that never answers timed out, the report's numbers — and two replicas sharing it: a card issued through one and its feedback posted through the
// other are linked, and both then snooze that rule's card for that patient.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include <ctime>
#include <set>
#include <thread>

#include "audit/recorder.h"
#include "audit/schema.h"
#include "audit/snooze.h"
#include "audit/store.h"
#include "hooks/audit_log.h"
#include "tests/support/audit_samples.h"
#include "tests/support/http_client.h"
#include "tests/support/json.h"
#include "tests/support/postgres_server.h"
#include "tests/support/report_scenario.h"
#include "tests/support/requests.h"
#include "tests/support/test_server.h"

namespace cds::audit {
namespace {

class Postgres : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new test::PostgresServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->ok()) << server_->error(); }

  // A fresh, empty database on the shared server; its URL.
  std::string FreshDatabase() {
    static int n = 0;
    const std::string name = "audit_" + std::to_string(++n);
    PGconn* c = PQconnectdb(server_->url().c_str());
    PQclear(PQexec(c, ("CREATE DATABASE " + name).c_str()));
    PQfinish(c);
    return "postgresql://achilles@127.0.0.1:" + std::to_string(server_->port()) + "/" + name;
  }
  static std::string Query(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    std::string v = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    PQfinish(c);
    return v;
  }

  static test::PostgresServer* server_;
};
test::PostgresServer* Postgres::server_ = nullptr;

using test::SampleCard;
using test::SampleOverride;

TEST_F(Postgres, MigratesOnceAndKeepsRepeatsOnce) {
  const std::string url = FreshDatabase();
  // Two replicas starting at the same moment: one migrates, the other waits and finds it done.
  std::unique_ptr<Store> a, b;
  std::thread ta([&] { a = OpenStore(url); });
  std::thread tb([&] { b = OpenStore(url); });
  ta.join();
  tb.join();
  EXPECT_EQ(a->SchemaVersion(), static_cast<int>(Migrations().size()));
  EXPECT_EQ(b->SchemaVersion(), static_cast<int>(Migrations().size()));
  a->Write({SampleCard("c1"), SampleCard("c7"), SampleOverride("c1", "r1")});
  b->Write({SampleCard("c1"), SampleOverride("c1", "r1"), SampleOverride("c1", "r2"), SampleOverride("never-issued", "r1")});
  EXPECT_EQ(a->CountCards(), 2);
  EXPECT_EQ(a->CountFeedback(), 3);
  EXPECT_EQ(Query(url, "SELECT withheld FROM cards WHERE card_uuid = 'c7'"), "1");
  EXPECT_EQ(Query(url, "SELECT suggestion_uuids FROM cards WHERE card_uuid = 'c1'"), "c1-s1 c1-s2");
  EXPECT_EQ(Query(url, "SELECT has_comment FROM feedback WHERE override_code = 'r2'"), "1");
}

TEST_F(Postgres, ManyWritersAndBigBatchesLoseNothing) {
  const std::string url = FreshDatabase();
  OpenStore(url);
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      auto store = OpenStore(url);
      for (int b = 0; b < 5; ++b) {
        std::vector<Event> batch;
        for (int i = 0; i < 250; ++i) batch.push_back(SampleCard("w" + std::to_string(w) + "-" + std::to_string(b * 250 + i)));
        store->Write(batch);  // 250 rows: three multi-row statements in one transaction
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(OpenStore(url)->CountCards(), 4 * 5 * 250);
}

TEST_F(Postgres, ANewerSchemaAndAnUnreachableServerAreRefusedClearly) {
  const std::string url = FreshDatabase();
  OpenStore(url);
  Query(url, "UPDATE schema_version SET version = 42");
  try {
    OpenStore(url);
    ADD_FAILURE() << "opened a version-42 database";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer than this build knows"), std::string::npos) << e.what();
  }
  try {
    OpenStore("postgresql://achilles:hunter2@127.0.0.1:1/audit");
    ADD_FAILURE() << "connected to port 1";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:1/audit: cannot connect"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
}

// A server that takes the connection and never answers (a half-open network, a proxy with no backend): the
// store gives up after its default connect timeout, rather than holding the writer, a report or the
// service's start for ever (libpq alone would wait without end); a timeout in the URL is honoured too.
TEST_F(Postgres, AServerThatNeverAnswersTimesOut) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(::listen(listener, 16), 0);  // the kernel completes each handshake; nobody ever reads
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string base = "postgresql://achilles@127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/audit";
  for (const std::string& url : {base, base + "?connect_timeout=2"}) {
    try {
      OpenStore(url);
      ADD_FAILURE() << "connected to a server that never answers";
    } catch (const StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot connect"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("timeout expired"), std::string::npos) << e.what();
    }
  }
  ::close(listener);
}

// The report's queries are plain SQL both databases run alike: the same hand-counted answer as SQLite's.
TEST_F(Postgres, TheReportCountsTheSameAsOnSqlite) {
  auto store = OpenStore(FreshDatabase());
  test::WriteReportScenario(*store);
  test::ExpectReportScenario(BuildReport(*store, "2026-11-16", "2026-11-29", "2026-12-01T08:00:00Z"));
}

// Two replicas (each its own server, recorder, connection and response index) behind one database: feedback
// posted to the replica that did not issue the card still finds it, and the replica that issued it snoozes
// the rule's next card for that patient (it reads the other's feedback from the shared store).
TEST_F(Postgres, ACardFromOneReplicaIsLinkedToFeedbackThroughAnotherAndSnoozedByBoth) {
  const std::string url = FreshDatabase();
  const std::string secret(40, 'z');
  ResponseIndex ia, ib;
  auto following = [](ResponseIndex& index) {
    Recorder::Options o;
    o.follow = [&index](Store& s) { index.Follow(s, std::time(nullptr)); };
    o.follow_interval = std::chrono::milliseconds(50);
    return o;
  };
  Recorder ra(OpenStore(url), following(ia)), rb(OpenStore(url), following(ib));
  hooks::AuditLog la(&ra, Pseudonymizer(secret), &ia), lb(&rb, Pseudonymizer(secret), &ib);
  test::TestServer a(test::TestSettings(), test::ConfigDir(), hooks::TodayUtc, hooks::UnixNow, &la);
  test::TestServer b(test::TestSettings(), test::ConfigDir(), hooks::TodayUtc, hooks::UnixNow, &lb);
  const std::string call = test::PatientView(test::WithConditions(
      {test::Condition("c1", test::kIcd10Cm, "M76.62", "Achilles tendinitis, left leg", "2026-11-10")}));
  auto rules_shown = [&call](uint16_t port) {
    const test::HttpResult r = test::Post(port, "/cds-services/achilles-patient-view", call);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> rules;
    rapidjson::Document d = test::Json(r.body);
    for (const auto& c : d["cards"].GetArray()) rules.insert(c["source"]["topic"]["code"].GetString());
    return std::make_pair(rules, r.body);
  };
  const test::HttpResult r = test::Post(a.port(), "/cds-services/achilles-patient-view", call);
  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = test::Json(r.body);
  std::string uuid;
  for (const auto& c : d["cards"].GetArray()) {
    if (std::string(c["source"]["topic"]["code"].GetString()) == "eccentricRehab") uuid = c["uuid"].GetString();
  }
  ASSERT_FALSE(uuid.empty()) << r.body;
  ASSERT_TRUE(ra.Flush(std::chrono::seconds(10)));
  EXPECT_EQ(test::Post(b.port(), "/cds-services/achilles-patient-view/feedback",
                       R"({"feedback":[{"card":")" + uuid + R"(","outcome":"overridden","overrideReason":{"reason":
                       {"code":"already-exercising","system":"https://achilles-cds.org/fhir/CodeSystem/override-reason"}},
                       "outcomeTimestamp":")" + hooks::UtcTimestamp() + R"("}]})")
                .status,
            200);
  ASSERT_TRUE(rb.Flush(std::chrono::seconds(10)));
  EXPECT_EQ(Query(url, "SELECT c.rule FROM feedback f JOIN cards c ON c.card_uuid = f.card_uuid"), "eccentric-rehab");
  // B read its own feedback as it committed it; A reads it within its follow interval.
  EXPECT_EQ(rules_shown(b.port()).first.count("eccentricRehab"), 0u);
  bool snoozed_on_a = false;
  for (int i = 0; i < 100 && !snoozed_on_a; ++i) {
    snoozed_on_a = rules_shown(a.port()).first.count("eccentricRehab") == 0;
    if (!snoozed_on_a) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(snoozed_on_a);
  ASSERT_TRUE(ra.Flush(std::chrono::seconds(10)));
  ASSERT_TRUE(rb.Flush(std::chrono::seconds(10)));
  EXPECT_EQ(Query(url, "SELECT count(*) >= 2 FROM cards WHERE rule = 'eccentric-rehab' AND withheld = 1"), "t");
}

}  // namespace
}  // namespace cds::audit
