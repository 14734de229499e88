// GET /readyz against a real PostgreSQL card log: ready while the store answers, 503 (an OperationOutcome
// saying why) soon after it goes away — what a load balancer or Kubernetes needs to stop sending this
// replica traffic — and /metrics says the same (achilles_card_log_store_up).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "audit/pseudonym.h"
#include "audit/recorder.h"
#include "audit/store.h"
#include "hooks/audit_log.h"
#include "hooks/metrics.h"
#include "tests/support/http_client.h"
#include "tests/support/metrics_text.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_server.h"

namespace cds::test {
namespace {

TEST(Readiness, NotReadyOnceTheSharedStoreStopsAnswering) {
  PostgresServer pg;
  ASSERT_TRUE(pg.ok()) << pg.error();
  audit::Recorder::Options options;
  options.probe_interval = std::chrono::milliseconds(100);
  options.log_error = [](const std::string&) {};
  audit::Recorder recorder(audit::OpenStore(pg.url()), options);
  hooks::AuditLog log(&recorder, audit::Pseudonymizer(std::string(40, 'k')));
  hooks::Metrics metrics;
  metrics.WatchCardLog(&recorder);
  TestServer server(TestSettings(), ConfigDir(), hooks::TodayUtc, hooks::UnixNow, &log, &metrics);

  HttpResult r = Get(server.port(), "/readyz");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"status":"ready"})");
  EXPECT_EQ(Series(metrics.Render(), "achilles_card_log_store_up"), 1);

  pg.Stop();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while ((r = Get(server.port(), "/readyz")).status == 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_NE(r.body.find("\"resourceType\":\"OperationOutcome\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("audit.database"), std::string::npos) << r.body;
  EXPECT_EQ(Series(metrics.Render(), "achilles_card_log_store_up"), 0);
  // Still alive: /healthz answers, and so do the CDS services (their cards queue until the store is back).
  EXPECT_EQ(Get(server.port(), "/healthz").status, 200);
  server.Stop();
  recorder.Stop(std::chrono::milliseconds(100));
}

}  // namespace
}  // namespace cds::test
