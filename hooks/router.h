// Router: an HTTP request (method, target, a few headers, body) to a response, with no socket in it.
// Routes: GET /cds-services, POST /cds-services/{id}, GET /healthz; OPTIONS preflight on each (CORS, no
// credentials needed). Every non-2xx body is an OperationOutcome.
//
//   Router router(state, settings);
//   HttpRequest req{Method::kPost, "/cds-services/achilles-order-sign", "application/json", "", &body};
//   HttpResponse resp;  router.Handle(req, resp);
#pragma once

#include <array>
#include <functional>
#include <string>
#include <string_view>

#include "fhir/result.h"
#include "hooks/app_state.h"
#include "hooks/server_settings.h"
#include "hooks/service_call.h"

namespace cds::hooks {

enum class Method { kGet, kHead, kPost, kOptions, kOther };

struct HttpRequest {
  Method method = Method::kGet;
  std::string_view target;        // origin-form: path and optional query
  std::string_view content_type;  // "" when absent
  std::string_view origin;        // "" when absent
  std::string* body = nullptr;    // parsed in place by service calls
};

struct Header {
  std::string_view name;
  std::string_view value;  // static text, or request data valid until the response is written
};

struct HttpResponse {
  int status = 200;
  std::string body;  // JSON (or empty for 204)
  std::array<Header, 8> headers{};
  std::size_t header_count = 0;
  // What went wrong, for the log: content-free.
  const char* error_kind = nullptr;

  void Reset() {
    status = 200;
    body.clear();
    header_count = 0;
    error_kind = nullptr;
  }
  void AddHeader(std::string_view name, std::string_view value) {
    if (header_count < headers.size()) headers[header_count++] = Header{name, value};
  }
};

// Today's date for rules (the request's time). Production uses TodayUtc; tests fix it.
using TodayFn = std::function<fhir::Date()>;

class Router {
 public:
  Router(const AppState& state, const ServerSettings& settings, TodayFn today = TodayUtc)
      : state_(state), settings_(settings), today_(std::move(today)) {}

  void Handle(HttpRequest& request, HttpResponse& response) const;
  // Fills `response` with the error's status and OperationOutcome (plus CORS headers).
  void Fail(const fhir::Error& error, std::string_view origin, HttpResponse& response) const;

 private:
  void AddCors(std::string_view origin, HttpResponse& response) const;

  const AppState& state_;
  const ServerSettings& settings_;
  TodayFn today_;
};

std::string_view ReasonPhrase(int status);

}  // namespace cds::hooks
