// initdb with trust authentication for the test's own user on loopback only, then postgres in the
// foreground (so the harness owns its process), readiness polled with libpq's PQping.
#include "tests/support/postgres_server.h"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

namespace cds::test {
namespace {

// Debian installs the server binaries under /usr/lib/postgresql/<major>/bin.
std::string BinDir() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const auto bin = entry.path() / "bin";
    if (std::filesystem::exists(bin / "initdb")) return bin.string();
  }
  return "";
}

}  // namespace

PostgresServer::PostgresServer() {
  const std::string bin = BinDir();
  if (bin.empty()) {
    error_ = "no PostgreSQL server binaries under /usr/lib/postgresql (run make deps)";
    return;
  }
  // As root, the server runs as the `postgres` user (Debian's package creates it), in a folder it owns.
  std::vector<std::string> as_user;
  if (::geteuid() == 0) {
    const passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr) {
      error_ = "running as root and there is no postgres user to run PostgreSQL as";
      return;
    }
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::all);
    if (::chown(dir_.path().c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      error_ = "cannot give the scratch folder to the postgres user";
      return;
    }
    as_user = {"setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups", "--"};
  }
  std::string prefix;
  for (const std::string& a : as_user) prefix += a + " ";
  const std::string data = dir_.Join("data");
  const std::string init = prefix + bin + "/initdb -D " + data + " -U achilles -A trust -E UTF8 -N > " +
                           dir_.Join("initdb.log") + " 2>&1";
  if (std::system(init.c_str()) != 0) {
    error_ = "initdb failed: " + ReadFile(dir_.Join("initdb.log"));
    return;
  }
  const uint16_t port = FreePort();
  std::vector<std::string> args(as_user.begin() + (as_user.empty() ? 0 : 1), as_user.end());
  const std::string program = as_user.empty() ? bin + "/postgres" : as_user[0];
  if (!as_user.empty()) args.push_back(bin + "/postgres");
  for (const std::string& a : {std::string("-D"), data, std::string("-p"), std::to_string(port), std::string("-k"),
                               dir_.path(), std::string("-c"), std::string("listen_addresses=127.0.0.1"),
                               std::string("-c"), std::string("fsync=off"), std::string("-c"),
                               std::string("max_connections=50")}) {
    args.push_back(a);
  }
  server_ = std::make_unique<BackgroundProcess>(program, args);
  const std::string url = "postgresql://achilles@127.0.0.1:" + std::to_string(port) + "/postgres";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (PQping(url.c_str()) != PQPING_OK) {
    if (std::chrono::steady_clock::now() > deadline) {
      error_ = "PostgreSQL did not start: " + server_->err();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  port_ = port;
  url_ = url;
}

PostgresServer::~PostgresServer() { Stop(); }

void PostgresServer::Stop() {
  if (server_) server_->Stop();
  server_.reset();
}

}  // namespace cds::test
