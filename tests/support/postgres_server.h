// A real PostgreSQL server for the tests: Debian's postgresql binaries, `initdb` into a scratch folder and
// `postgres` on a free loopback port, run as the unprivileged `postgres` user when the tests run as root
// (PostgreSQL refuses root), stopped and removed with the object.
//
//   PostgresServer pg;
//   auto store = audit::OpenStore(pg.url());   // postgresql://achilles@127.0.0.1:PORT/postgres
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tests/support/files.h"
#include "tests/support/process.h"

namespace cds::test {

class PostgresServer {
 public:
  PostgresServer();
  ~PostgresServer();
  bool ok() const { return port_ != 0; }
  const std::string& url() const { return url_; }
  uint16_t port() const { return port_; }
  const std::string& error() const { return error_; }
  // Stops the server now (a store that goes away under a running service).
  void Stop();

 private:
  TempDir dir_;
  std::unique_ptr<BackgroundProcess> server_;
  uint16_t port_ = 0;
  std::string url_, error_;
};

}  // namespace cds::test
