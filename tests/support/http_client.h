// A deliberately simple blocking HTTP/1.1 client for integration tests: raw bytes in, parsed responses
// out, so tests can send malformed, pipelined or oversized requests. Reads time out after 10 s, so a
// misbehaving server fails a test instead of hanging it. Every response is recorded (recorder.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace cds::test {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class TestConnection {
 public:
  explicit TestConnection(uint16_t port);
  ~TestConnection();
  void Write(const std::string& raw);
  // Reads one response; status 0 when the connection closed first. `head` for a HEAD request.
  HttpResult Read(bool head = false);
  // True when the server closes the connection (EOF) within `wait`.
  bool ClosedByPeer(std::chrono::milliseconds wait = std::chrono::milliseconds(3000));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "POST /target HTTP/1.1\r\nHost: …\r\nContent-Type: …\r\nContent-Length: …\r\n<extra>\r\n<body>"
std::string RawRequest(const std::string& method, const std::string& target, const std::string& body = "",
                       const std::string& content_type = "application/json", const std::string& extra_headers = "");

HttpResult Post(uint16_t port, const std::string& target, const std::string& body,
                const std::string& content_type = "application/json");
HttpResult Get(uint16_t port, const std::string& target);

// The recorder kind of a response to `target` with `status`.
const char* KindOf(const std::string& target, int status);

}  // namespace cds::test
