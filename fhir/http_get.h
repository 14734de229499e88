// Outbound HTTPS GETs (FHIR searches, JSON Web Key Sets), asynchronous end to end: a request never blocks a
// thread, its body is bounded while it streams in, TLS certificates and host names are verified, and it can
// be cancelled. Built on cpprestsdk's http_client, which stays inside http_get.cpp.
//
//   auto http = std::make_shared<HttpGetter>(HttpGetter::Options{});      // throws ConfigError (bad caFile)
//   auto cancel = std::make_shared<HttpCancel>();
//   http->Get({"https://fhir.example.org/r4/Condition?patient=1", token, "application/fhir+json",
//              std::chrono::seconds(2), 1 << 20}, cancel, [](HttpGetResult r) { /* on a client thread */ });
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace cds::fhir {

struct HttpGetRequest {
  std::string url;           // absolute http(s) URL
  std::string bearer_token;  // sent as "Authorization: Bearer …" when not empty; never logged
  std::string accept = "application/fhir+json";
  std::chrono::milliseconds timeout{2000};
  std::size_t max_bytes = 16 * 1024 * 1024;  // a longer body is cut off and reported
};

struct HttpGetResult {
  int status = 0;     // the HTTP status; 0 when no answer came (see `error`)
  std::string body;   // complete only when `error` is empty
  std::string error;  // why there is no (complete) answer: "connection refused", "cancelled", … (no content)
  bool too_large = false;  // the answer passed the request's max_bytes (and `error` says so)
};

// Cancels a request (or a chain of them) from any thread; a cancelled request completes with "cancelled".
class HttpCancel {
 public:
  HttpCancel();
  ~HttpCancel();
  void Cancel();
  bool cancelled() const;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// A one-shot timer on the client's threads: `fire` runs once after the delay unless Cancel() came first.
class HttpTimer {
 public:
  virtual ~HttpTimer() = default;
  virtual void Cancel() = 0;
};

class HttpGetter {
 public:
  struct Options {
    unsigned threads = 4;     // the client's thread pool (continuations only: none of them ever blocks)
    std::string ca_file;      // extra trusted certificate authorities (PEM), besides the system's
    std::size_t max_origins = 64;  // connection pools kept, one per scheme://host:port
  };

  // Throws fhir::ConfigError when the CA file cannot be read.
  explicit HttpGetter(Options options);
  ~HttpGetter();
  HttpGetter(const HttpGetter&) = delete;
  HttpGetter& operator=(const HttpGetter&) = delete;

  // Starts the GET; `done` is called exactly once, on a client thread, and must not block.
  void Get(HttpGetRequest request, const std::shared_ptr<HttpCancel>& cancel,
           std::function<void(HttpGetResult)> done);
  // Runs `fire` on a client thread after `delay`, unless cancelled.
  std::shared_ptr<HttpTimer> After(std::chrono::milliseconds delay, std::function<void()> fire);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cds::fhir
