// The deployment a hospital runs, started here without Docker: two replicas of the real binary sharing a real
// PostgreSQL card log, behind Debian's nginx as the load balancer (upstream keep-alive, a failed call retried
// once on the other replica). A card issued by one replica and its feedback posted to the other are linked;
// a snooze recorded on one is honoured by the other; a rolling restart (SIGTERM one, start it again, then the
// other) under load fails no request and loses no card-log row; a replica killed with SIGKILL under load
// fails no request either (nginx fails over), and has lost no card it answered once it is restarted.
#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "audit/store.h"
#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/json.h"
#include "tests/support/metrics_text.h"
#include "tests/support/nginx_server.h"
#include "tests/support/postgres_server.h"
#include "tests/support/process.h"
#include "tests/support/requests.h"

namespace cds::test {
namespace {

using namespace std::chrono_literals;

const std::string kService = "/cds-services/achilles-patient-view";
const std::string kView = PatientView(
    WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg", "2026-11-10")}));

// One replica: the real binary with the shared settings; restartable on the port it first got.
class Replica {
 public:
  explicit Replica(const std::string& settings) : settings_(settings) { Start(); }
  void Start() {
    process_ = std::make_unique<ServeProcess>(std::vector<std::string>{
        "--config", ConfigDir(), "--settings", settings_, "--port", std::to_string(port_)});
    port_ = process_->port();
  }
  // SIGTERM, and the exit code once it has drained (0 when every queued card was written).
  int Terminate() {
    process_->Signal(SIGTERM);
    return process_->Wait(30s);
  }
  void Kill() {
    process_->Signal(SIGKILL);
    process_->Wait(10s);
  }
  uint16_t port() const { return port_; }
  std::string err() { return process_->err(); }

 private:
  std::string settings_;
  uint16_t port_ = 0;
  std::unique_ptr<ServeProcess> process_;
};

class ScaleOut : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pg_.ok()) << pg_.error();
    std::ofstream(dir_.Join("pseudonym.key")) << std::string(64, 'a') << "\n";  // the secret replicas share
    std::ofstream(dir_.Join("settings.json"))
        << R"({"address": "127.0.0.1", "threads": 2, "shutdownGraceMs": 10000,
              "authentication": {"required": false}, "fhirFetch": {"enabled": false},
              "audit": {"enabled": true, "dataDir": ")" << dir_.Join("data") << R"(", "database": ")"
        << pg_.url() << R"(", "pseudonymKeyFile": ")" << dir_.Join("pseudonym.key")
        << R"(", "snoozeRefreshMs": 200, "flushIntervalMs": 20}})";
    a_ = std::make_unique<Replica>(dir_.Join("settings.json"));
    b_ = std::make_unique<Replica>(dir_.Join("settings.json"));
    ASSERT_NE(a_->port(), 0);
    ASSERT_NE(b_->port(), 0);
    lb_ = std::make_unique<NginxServer>(std::vector<uint16_t>{a_->port(), b_->port()});
    ASSERT_TRUE(lb_->ok()) << lb_->error();
  }

  // The card uuids of a response, in order.
  static std::vector<std::string> Uuids(const HttpResult& r) {
    std::vector<std::string> out;
    const auto d = Json(r.body);
    if (!d.IsObject() || !d.HasMember("cards")) return out;
    for (const auto& c : d["cards"].GetArray()) out.emplace_back(c["uuid"].GetString());
    return out;
  }
  std::vector<std::vector<std::string>> Rows(const char* sql, const std::vector<std::string>& params = {}) {
    return audit::OpenStore(pg_.url())->Query(sql, params);
  }
  long Count(const char* sql, const std::vector<std::string>& params = {}) { return std::stol(Rows(sql, params)[0][0]); }

  // Calls through the load balancer from `threads` clients until `stop`; every status and card uuid kept.
  struct Load {
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::vector<int> statuses;
    std::set<std::string> uuids;
    std::vector<std::thread> clients;
  };
  void StartLoad(Load& load, int threads) {
    for (int t = 0; t < threads; ++t) {
      load.clients.emplace_back([this, &load] {
        while (!load.stop) {
          const HttpResult r = Post(lb_->port(), kService, kView);
          const auto uuids = Uuids(r);
          std::lock_guard<std::mutex> lock(load.mu);
          load.statuses.push_back(r.status);
          if (r.status == 200) load.uuids.insert(uuids.begin(), uuids.end());
        }
      });
    }
  }
  static void StopLoad(Load& load) {
    load.stop = true;
    for (auto& c : load.clients) c.join();
  }
  static long Failed(const Load& load) {
    long n = 0;
    for (int s : load.statuses) n += s != 200;
    return n;
  }
  // "200: 1234, 502: 3" — what the failures were.
  static std::string Statuses(const Load& load) {
    std::map<int, long> by;
    for (int s : load.statuses) ++by[s];
    std::string out;
    for (const auto& [status, n] : by) out += std::to_string(status) + ": " + std::to_string(n) + "  ";
    return out;
  }

  TempDir dir_;
  PostgresServer pg_;
  std::unique_ptr<Replica> a_, b_;
  std::unique_ptr<NginxServer> lb_;
};

TEST_F(ScaleOut, ACardFromOneReplicaAndItsFeedbackToTheOtherAreLinked) {
  const HttpResult card = Post(a_->port(), kService, kView);
  ASSERT_EQ(card.status, 200) << card.body;
  const std::vector<std::string> uuids = Uuids(card);
  ASSERT_FALSE(uuids.empty()) << card.body;
  const std::string feedback = R"({"feedback":[{"card":")" + uuids[0] +
                               R"(","outcome":"overridden","outcomeTimestamp":"2026-12-01T10:00:00Z"}]})";
  ASSERT_EQ(Post(b_->port(), kService + "/feedback", feedback).status, 200);
  long linked = 0;
  for (int i = 0; i < 100 && linked == 0; ++i) {
    std::this_thread::sleep_for(50ms);
    linked = Count("SELECT count(*) FROM feedback f JOIN cards c ON c.card_uuid = f.card_uuid WHERE f.card_uuid = $1",
                   {uuids[0]});
  }
  EXPECT_EQ(linked, 1);
}

TEST_F(ScaleOut, ASnoozeRecordedOnOneReplicaIsHonouredByTheOther) {
  const HttpResult card = Post(a_->port(), kService, kView);
  ASSERT_EQ(card.status, 200) << card.body;
  ASSERT_NE(card.body.find("start a loading programme"), std::string::npos) << card.body;
  const std::string uuid = Uuids(card).at(0);
  const std::string feedback =
      R"({"feedback":[{"card":")" + uuid +
      R"(","outcome":"overridden","overrideReason":{"reason":{"code":"already-exercising","system":"https://achilles-cds.org/fhir/CodeSystem/override-reason"}},"outcomeTimestamp":"2026-12-01T10:00:00Z"}]})";
  ASSERT_EQ(Post(a_->port(), kService + "/feedback", feedback).status, 200);
  // B reads every replica's feedback from PostgreSQL (snoozeRefreshMs 200): its answer stops showing the card.
  std::string body = Post(b_->port(), kService, kView).body;
  for (int i = 0; i < 100 && body.find("start a loading programme") != std::string::npos; ++i) {
    std::this_thread::sleep_for(50ms);
    body = Post(b_->port(), kService, kView).body;
  }
  EXPECT_EQ(body.find("start a loading programme"), std::string::npos) << body;
  long withheld = 0;
  for (int i = 0; i < 100 && withheld == 0; ++i) {
    std::this_thread::sleep_for(50ms);
    withheld = Count("SELECT count(*) FROM cards WHERE rule = 'eccentric-rehab' AND withheld = 1");
  }
  EXPECT_GE(withheld, 1);
}

TEST_F(ScaleOut, ARollingRestartUnderLoadFailsNoRequestAndLosesNoCard) {
  Load load;
  StartLoad(load, 4);
  std::this_thread::sleep_for(500ms);
  for (Replica* r : {a_.get(), b_.get()}) {
    EXPECT_EQ(r->Terminate(), 0) << r->err();  // drains: in-flight calls answered, queued cards written
    r->Start();
    ASSERT_NE(r->port(), 0);
    // As an operator does before restarting the next one: wait until the restarted replica takes calls
    // from the balancer again (its own /metrics counts them; nginx tries it again after fail_timeout).
    double served = 0;
    for (int i = 0; i < 200 && served < 1; ++i) {
      std::this_thread::sleep_for(50ms);
      served = Series(Get(r->port(), "/metrics").body,
                      R"(achilles_http_requests_total{handler="service",service="achilles-patient-view",status="200"})");
    }
    ASSERT_GE(served, 1) << "the balancer never sent the restarted replica a call";
  }
  StopLoad(load);
  ASSERT_GT(load.statuses.size(), 50u);
  EXPECT_EQ(Failed(load), 0) << Statuses(load) << "\n" << lb_->log();
  EXPECT_EQ(a_->Terminate(), 0);
  EXPECT_EQ(b_->Terminate(), 0);
  std::set<std::string> written;
  for (const auto& row : Rows("SELECT card_uuid FROM cards")) written.insert(row[0]);
  long missing = 0;
  for (const std::string& u : load.uuids) missing += written.count(u) == 0;
  EXPECT_EQ(missing, 0) << "of " << load.uuids.size() << " cards answered";
}

// audit.durableBeforeAnswer (on by default): a replica answers only once its cards survive its being
// killed (in its card journal, without waiting for PostgreSQL), so even the one killed mid-load has lost no
// card it answered: restarted on its folder, as an orchestrator restarts it, it writes what it left.
TEST_F(ScaleOut, AReplicaKilledUnderLoadFailsNoRequestAndLosesNoCardItAnswered) {
  Load load;
  StartLoad(load, 4);
  std::this_thread::sleep_for(700ms);
  a_->Kill();
  std::this_thread::sleep_for(1500ms);
  StopLoad(load);
  ASSERT_GT(load.statuses.size(), 50u);
  EXPECT_EQ(Failed(load), 0) << Statuses(load) << "\n" << lb_->log();
  a_->Start();
  ASSERT_NE(a_->port(), 0) << a_->err();
  EXPECT_EQ(a_->Terminate(), 0) << a_->err();
  EXPECT_EQ(b_->Terminate(), 0) << b_->err();
  std::set<std::string> written;
  for (const auto& row : Rows("SELECT card_uuid FROM cards")) written.insert(row[0]);
  long missing = 0;
  for (const std::string& u : load.uuids) missing += written.count(u) == 0;
  EXPECT_EQ(missing, 0) << "of " << load.uuids.size() << " cards answered";
}

}  // namespace
}  // namespace cds::test
