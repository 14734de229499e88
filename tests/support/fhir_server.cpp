// Starts tests/fhir-server/server.mjs with node and talks to its /_test controls over plain loopback HTTP
// (not recorded: these are not CDS Hooks responses).
#include "tests/support/fhir_server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdlib>

#include "tests/support/files.h"

namespace cds::test {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

std::string PostPlain(uint16_t port, const std::string& target, const std::string& body) {
  net::io_context io;
  net::ip::tcp::socket socket(io);
  beast::error_code ec;
  socket.connect({net::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return "";
  http::request<http::string_body> req{http::verb::post, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  http::write(socket, req, ec);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res, ec);
  EXPECT_FALSE(ec) << target << ": " << ec.message();
  EXPECT_EQ(res.result_int(), 200u) << target << ": " << res.body();
  return res.body();
}

}  // namespace

FhirTestServer::FhirTestServer(std::optional<TestCa::Issued> tls) : tls_(tls.has_value()) {
  std::vector<std::string> args = {SourcePath("tests/fhir-server/server.mjs")};
  if (tls) args.insert(args.end(), {"--tls-cert", tls->cert, "--tls-key", tls->key});
  process_ = std::make_unique<BackgroundProcess>("node", args);
  const std::string line = process_->WaitForLine("listening");
  EXPECT_FALSE(line.empty()) << "the test FHIR server did not start (run scripts/install-deps.sh): "
                             << process_->err();
  int fhir = 0, control = 0;
  if (std::sscanf(line.c_str(), "listening %d control %d", &fhir, &control) == 2) {
    port_ = static_cast<uint16_t>(fhir);
    control_port_ = static_cast<uint16_t>(control);
  }
}

FhirTestServer::~FhirTestServer() { Stop(); }

std::string FhirTestServer::base() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::string FhirTestServer::Control(const std::string& path, const std::string& body) {
  return PostPlain(control_port_, path, body);
}

void FhirTestServer::Load(const std::string& bundle_json) { Control("/_test/load", bundle_json); }
void FhirTestServer::Clear() { Control("/_test/clear", "{}"); }
void FhirTestServer::RequireToken(const std::string& token) { Control("/_test/token", "{\"token\":\"" + token + "\"}"); }
void FhirTestServer::Fault(const std::string& fault_json) { Control("/_test/fault", fault_json); }
void FhirTestServer::Serve(const std::string& path, const std::string& json) {
  std::string escaped;
  for (char c : json) {
    if (c == '"' || c == '\\') escaped += '\\';
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped += c;
  }
  Control("/_test/serve", "{\"path\":\"" + path + "\",\"json\":\"" + escaped + "\"}");
}
std::string FhirTestServer::Seen() { return Control("/_test/seen", "{}"); }

void FhirTestServer::Stop() {
  if (process_) process_->Stop();
}

}  // namespace cds::test
