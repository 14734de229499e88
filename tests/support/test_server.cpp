// In-process server for tests.
#include "tests/support/test_server.h"

#include <gtest/gtest.h>

namespace cds::test {

hooks::ServerSettings TestSettings() {
  hooks::ServerSettings s;
  s.address = "127.0.0.1";
  s.port = 0;
  s.threads = 2;
  s.auth.required = false;
  s.audit.enabled = false;  // the audit tests record into a store of their own
  return s;
}

TestServer::TestServer(hooks::ServerSettings settings, const std::string& config_dir, hooks::TodayFn today,
                       hooks::NowFn now, hooks::AuditLog* audit, hooks::Metrics* metrics)
    : settings_(std::move(settings)),
      state_(config_dir, settings_),
      http_(hooks::MakeHttpGetter(settings_)),
      fhir_(fhir::MakeFhirClient(http_)),
      auth_(http_),
      router_(state_, std::move(today), fhir_.get(), &auth_, std::move(now)),
      server_(settings_, router_) {
  router_.set_audit(audit);
  router_.set_metrics(metrics);
  auto port = server_.Listen();
  EXPECT_TRUE(port.ok()) << (port.ok() ? "" : port.error().message);
  port_ = port.ok() ? *port : 0;
  thread_ = std::thread([this] { server_.Run(); });
}

TestServer::~TestServer() { Stop(); }

void TestServer::Stop() {
  server_.Stop();
  if (thread_.joinable()) thread_.join();
  router_.StopBackground();  // as the service does: before server_ is destroyed
}

}  // namespace cds::test
