// nginx in the foreground (daemon off) so the harness owns its process; ready once its port accepts.
#include "tests/support/nginx_server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace cds::test {
namespace {

bool Accepts(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

NginxServer::NginxServer(const std::vector<uint16_t>& upstreams) {
  const std::string nginx = "/usr/sbin/nginx";
  if (!std::filesystem::exists(nginx)) {
    error_ = "no " + nginx + " (run make deps)";
    return;
  }
  if (upstreams.size() != 2) {
    error_ = "the shipped load balancer configuration names two replicas";
    return;
  }
  // The shipped snippet, with loopback ports in place of the compose service names.
  std::string snippet = ReadFile(SourcePath("deploy/nginx/achilles-cds.conf"));
  const uint16_t port = FreePort();
  auto replace = [&](const std::string& from, const std::string& to) {
    const std::size_t at = snippet.find(from);
    if (at == std::string::npos) {
      error_ += "deploy/nginx/achilles-cds.conf has no \"" + from + "\"; ";
      return;
    }
    snippet.replace(at, from.size(), to);
  };
  replace("achilles-cds-1:8080", "127.0.0.1:" + std::to_string(upstreams[0]));
  replace("achilles-cds-2:8080", "127.0.0.1:" + std::to_string(upstreams[1]));
  replace("listen 8080;", "listen 127.0.0.1:" + std::to_string(port) + ";");
  if (!error_.empty()) return;
  std::ofstream(dir_.Join("achilles-cds.conf")) << snippet;
  // The main configuration Debian's package would give it, with every path in the scratch folder. As root
  // the worker would otherwise switch to a user that cannot write that folder.
  const std::string& d = dir_.path();
  std::ofstream(dir_.Join("nginx.conf")) << (::geteuid() == 0 ? "user root;\n" : "") <<
      "worker_processes 1;\n"
      "daemon off;\n"
      "pid " << d << "/nginx.pid;\n"
      "error_log " << d << "/error.log warn;\n"
      "events { worker_connections 4096; }\n"
      "http {\n"
      "  access_log off;\n"
      "  client_body_temp_path " << d << "/body;\n"
      "  proxy_temp_path " << d << "/proxy;\n"
      "  fastcgi_temp_path " << d << "/fastcgi;\n"
      "  uwsgi_temp_path " << d << "/uwsgi;\n"
      "  scgi_temp_path " << d << "/scgi;\n"
      "  include " << d << "/achilles-cds.conf;\n"
      "}\n";
  nginx_ = std::make_unique<BackgroundProcess>(nginx, std::vector<std::string>{"-p", d, "-c", dir_.Join("nginx.conf")});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!Accepts(port)) {
    if (std::chrono::steady_clock::now() > deadline) {
      error_ = "nginx did not start: " + nginx_->err() + log();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  port_ = port;
}

NginxServer::~NginxServer() {
  if (nginx_) nginx_->Stop();
}

std::string NginxServer::log() const {
  std::ifstream in(dir_.Join("error.log"));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace cds::test
