// The real HTTP server, in process, on an ephemeral loopback port, for integration tests.
//
//   TestServer server;                       // shipped config, port 0
//   HttpResult r = Get(server.port(), "/cds-services");
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "hooks/app_state.h"
#include "hooks/audit_log.h"
#include "hooks/http_server.h"
#include "hooks/router.h"
#include "hooks/server_settings.h"
#include "tests/support/files.h"

namespace cds::test {

// loopback, port 0, two threads, authentication off (its own tests turn it on), shipped defaults otherwise
hooks::ServerSettings TestSettings();

class TestServer {
 public:
  explicit TestServer(hooks::ServerSettings settings = TestSettings(), const std::string& config_dir = ConfigDir(),
                      hooks::TodayFn today = hooks::TodayUtc, hooks::NowFn now = hooks::UnixNow,
                      hooks::AuditLog* audit = nullptr, hooks::Metrics* metrics = nullptr);
  ~TestServer();
  uint16_t port() const { return port_; }
  hooks::AppState& state() { return state_; }
  // Graceful stop; returns when Run() has returned.
  void Stop();

 private:
  hooks::ServerSettings settings_;
  hooks::AppState state_;
  std::shared_ptr<fhir::HttpGetter> http_;
  std::unique_ptr<fhir::FhirClient> fhir_;  // as in production: calls fetch what their prefetch lacks
  hooks::Authenticator auth_;               // and callers are checked when the settings require it
  hooks::Router router_;
  hooks::HttpServer server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

}  // namespace cds::test
