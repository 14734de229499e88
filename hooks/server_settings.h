// HTTP server settings from config/server.json (every key optional; defaults below).
//
//   ServerSettings s = ServerSettings::Load("config/server.json");   // throws ConfigError
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cds::hooks {

struct ServerSettings {
  std::string address = "0.0.0.0";
  uint16_t port = 8080;
  unsigned threads = 0;                            // I/O threads; 0 = one per core
  std::size_t body_limit = 4 * 1024 * 1024;        // larger bodies → 413
  std::size_t header_limit = 16 * 1024;            // larger request headers → 431
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive connection with no request
  std::chrono::milliseconds read_timeout{15'000};  // a started request must arrive within this
  std::chrono::milliseconds write_timeout{15'000};
  std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests get this long after SIGTERM
  std::vector<std::string> cors_origins{"*"};        // "*" or exact origins
  bool access_log = false;                           // one content-free line per request

  static ServerSettings Load(const std::string& file);
};

}  // namespace cds::hooks
