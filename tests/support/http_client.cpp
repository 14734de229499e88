// Test HTTP client over Boost.Asio/Beast synchronous calls.
#include "tests/support/http_client.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <deque>
#include <regex>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "tests/support/recorder.h"

namespace cds::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct TestConnection::Impl {
  net::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;
  std::deque<std::string> targets;  // of requests written and not yet answered, to classify responses
};

namespace {

void SetReceiveTimeout(tcp::socket& s, std::chrono::milliseconds wait) {
  timeval tv{};
  tv.tv_sec = static_cast<long>(wait.count() / 1000);
  tv.tv_usec = static_cast<long>((wait.count() % 1000) * 1000);
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

}  // namespace

TestConnection::TestConnection(uint16_t port) : impl_(std::make_unique<Impl>()) {
  impl_->socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  SetReceiveTimeout(impl_->socket, std::chrono::milliseconds(10000));
}

TestConnection::~TestConnection() {
  beast::error_code ec;
  impl_->socket.close(ec);
}

void TestConnection::Write(const std::string& raw) {
  // Remember each request line's target (several when pipelined), to classify responses for the recorder.
  static const std::regex kRequestLine(R"([A-Z]+ (/\S*) HTTP/1\.[01]\r\n)");
  for (auto it = std::sregex_iterator(raw.begin(), raw.end(), kRequestLine); it != std::sregex_iterator(); ++it) {
    impl_->targets.push_back((*it)[1]);
  }
  beast::error_code ec;
  net::write(impl_->socket, net::buffer(raw), ec);  // the server may close early (413): tests read the answer
}

HttpResult TestConnection::Read(bool head) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(head);
  beast::error_code ec;
  http::read(impl_->socket, impl_->buffer, parser, ec);
  HttpResult r;
  if (ec) return r;
  const auto& msg = parser.get();
  r.status = static_cast<int>(msg.result_int());
  r.body = msg.body();
  for (const auto& field : msg) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(field.value());
  }
  const std::string target = impl_->targets.empty() ? "" : impl_->targets.front();
  if (r.status >= 200 && !impl_->targets.empty()) impl_->targets.pop_front();  // 1xx is interim
  RecordResponse(KindOf(target, r.status), r.status, r.body);
  return r;
}

bool TestConnection::ClosedByPeer(std::chrono::milliseconds wait) {
  SetReceiveTimeout(impl_->socket, wait);
  char byte;
  beast::error_code ec;
  for (;;) {
    impl_->socket.read_some(net::buffer(&byte, 1), ec);
    if (ec) return ec == net::error::eof || ec == net::error::connection_reset;
  }
}

std::string RawRequest(const std::string& method, const std::string& target, const std::string& body,
                       const std::string& content_type, const std::string& extra_headers) {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!body.empty() || method == "POST") {
    if (!content_type.empty()) r += "Content-Type: " + content_type + "\r\n";
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  r += extra_headers + "\r\n" + body;
  return r;
}

HttpResult Post(uint16_t port, const std::string& target, const std::string& body, const std::string& content_type) {
  TestConnection c(port);
  c.Write(RawRequest("POST", target, body, content_type));
  return c.Read();
}

HttpResult Get(uint16_t port, const std::string& target) {
  TestConnection c(port);
  c.Write(RawRequest("GET", target));
  return c.Read();
}

const char* KindOf(const std::string& target, int status) {
  if (status < 200 || status >= 300) return "error";
  const std::string path = target.substr(0, target.find('?'));
  if (path == "/cds-services" || path == "/cds-services/") return "discovery";
  if (path.size() > 9 && path.compare(path.size() - 9, 9, "/feedback") == 0) return "feedback";
  if (path.rfind("/cds-services/", 0) == 0) return "cards";
  if (path.rfind("/rules/", 0) == 0) return "page";
  if (path == "/audit" || path.rfind("/audit/", 0) == 0) return "report";
  if (path == "/metrics") return "metrics";
  return "other";
}

}  // namespace cds::test
