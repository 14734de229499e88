// Router: an HTTP request (method, target, a few headers, body) to a response, with no socket in it.
// Routes: GET /cds-services, POST /cds-services/{id}, GET /rules/{id} (the page a card's source.url names),
// GET /healthz, /readyz, /metrics (Prometheus), /audit; an OPTIONS preflight on every path under /cds-services (CORS, no credentials needed).
// Targets in absolute form and doubled slashes are read as browsers and EHRs send them. Every non-2xx body
// is an OperationOutcome.
//
//   Router router(state);
//   HttpRequest req{Method::kPost, "/cds-services/achilles-order-sign", "application/json", "", "", &body, ""};
//   HttpResponse resp;  router.Handle(req, resp);
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "fhir/result.h"
#include "hooks/app_state.h"
#include "hooks/auth.h"
#include "hooks/background.h"
#include "hooks/metrics.h"
#include "hooks/server_settings.h"
#include "hooks/service_call.h"

namespace cds::hooks {

enum class Method { kGet, kHead, kPost, kOptions, kOther };

struct HttpRequest {
  Method method = Method::kGet;
  std::string_view target;        // origin-form (path and optional query) or absolute-form
  std::string_view content_type;  // "" when absent
  std::string_view origin;        // "" when absent
  std::string_view host;          // the Host header ("" when absent)
  std::string* body = nullptr;    // parsed in place by service calls
  std::string_view authorization;  // the Authorization header ("" when absent); never logged
  bool secure = false;             // arrived over TLS (the scheme of the URL the caller called)
  std::string_view remote{};       // the peer's IP address ("10.0.0.7", "::1"): metrics.allowFrom only
  bool keys_fetched = false;       // handled again after fetching a key set (never fetch twice)
};

struct Header {
  std::string_view name;
  std::string_view value;  // static text, or request data valid until the response is written
};

struct HttpResponse {
  int status = 200;
  std::string body;                                  // JSON (or empty for 204), or a rule page
  std::string_view content_type = "application/json";
  std::array<Header, 8> headers{};
  std::size_t header_count = 0;
  // What went wrong, for the log: content-free. `error_field` is the OperationOutcome's expression when it
  // is one of the request's own field paths (never a value); `service` a known service id, else empty.
  const char* error_kind = nullptr;
  std::string error_field;
  std::string log_detail;  // content-free words for the refusal log line ("auth: aud is not this service's URL")
  std::string_view service;
  Handler handler = Handler::kOther;  // what the request was for (metrics)
  // Set when the answer waits for the FHIR server (a call whose prefetch lacked data): the HTTP layer calls
  // wait(resume); `resume` runs on a FHIR client thread and must only hand the connection back to its own
  // thread, which then calls finish(response) to fill this response. Both empty for an immediate answer.
  std::function<void(std::function<void()>)> wait;
  std::function<void(HttpResponse&)> finish;

  void Reset() {
    status = 200;
    body.clear();
    content_type = "application/json";
    header_count = 0;
    error_kind = nullptr;
    error_field.clear();
    log_detail.clear();
    service = {};
    handler = Handler::kOther;
    wait = nullptr;
    finish = nullptr;
  }
  void AddHeader(std::string_view name, std::string_view value) {
    if (header_count < headers.size()) headers[header_count++] = Header{name, value};
  }
};

// Today's date for rules (the request's time). Production uses TodayUtc; tests fix it.
using TodayFn = std::function<fhir::Date()>;
// Seconds since the epoch, for token times. Production uses the system clock; tests fix it.
using NowFn = std::function<int64_t()>;
int64_t UnixNow();

class AuditLog;

class Router {
 public:
  // `fhir_client`: where calls fetch what their prefetch lacks (null: they never fetch, and answer 412).
  // `auth`: checks callers when server.json requires it (null: every call is then refused 401).
  explicit Router(const AppState& state, TodayFn today = TodayUtc, fhir::FhirClient* fhir_client = nullptr,
                  Authenticator* auth = nullptr, NowFn now = UnixNow)
      : state_(state), today_(std::move(today)), fhir_client_(fhir_client), auth_(auth), now_(std::move(now)) {}
  // Where cards issued and feedback received are recorded (null: not recorded; feedback is still answered 200).
  // Set before serving.
  void set_audit(AuditLog* audit) { audit_ = audit; }
  // Where requests, cards, fetches and rejections are counted and GET /metrics reads (null: not counted,
  // and /metrics answers 404). Set before serving.
  void set_metrics(Metrics* metrics) { metrics_ = metrics; }
  // Counts an answered request (the HTTP layer calls it once per response, refusals included).
  void Observe(const HttpResponse& response, std::chrono::microseconds took) const {
    if (metrics_ != nullptr) metrics_->Request(response.handler, response.service, response.status, took);
  }

  void Handle(HttpRequest& request, HttpResponse& response) const;
  // Fills `response` with the error's status and OperationOutcome (plus CORS headers).
  void Fail(const fhir::Error& error, std::string_view origin, HttpResponse& response) const;
  // Once the HTTP server has stopped and before it is destroyed: drops the reports not yet started and waits
  // for the one being read, whose answer posts to a server context (which must still exist).
  void StopBackground() { reports_->Stop(); }
  // Whether the running configuration asks for an access log line per request.
  bool access_log() const { return state_.Current()->server.access_log; }

 private:
  void AddCors(const ServerSettings& settings, std::string_view origin, HttpResponse& response) const;

  void Feedback(HttpRequest& req, std::string_view id, const AppState::Snapshot& snapshot, HttpResponse& resp) const;
  void MetricsPage(HttpRequest& req, std::string_view path, const AppState::Snapshot& snapshot,
                   HttpResponse& resp) const;
  void Ready(const HttpRequest& req, HttpResponse& resp) const;
  // Makes a service call's answer wait until the card log has committed its cards (when so configured).
  void AwaitCardLog(long recorded, const ServerSettings& settings, HttpResponse& resp) const;
  void AuditReportPage(HttpRequest& req, std::string_view format,
                       const std::shared_ptr<const AppState::Snapshot>& snapshot, HttpResponse& resp) const;
  // False when the call is not (yet) authenticated: `resp` then holds the 401, or a wait for keys. When true,
  // `result` says what the calling client may do (its fhirServers).
  bool Authenticated(HttpRequest& req, std::string_view path, const AppState::Snapshot& snapshot, AuthResult& result,
                     HttpResponse& resp) const;
  static std::vector<std::string> Audiences(const ServerSettings& settings, const HttpRequest& req,
                                            std::string_view path);

  const AppState& state_;
  TodayFn today_;
  fhir::FhirClient* fhir_client_;
  Authenticator* auth_;
  AuditLog* audit_ = nullptr;
  Metrics* metrics_ = nullptr;
  NowFn now_;
  // Where GET /audit reads the card log: never on an I/O thread (StopBackground() before the server goes).
  std::unique_ptr<BackgroundQueue> reports_ = std::make_unique<BackgroundQueue>(kReportsAtOnce);
  static constexpr std::size_t kReportsAtOnce = 3;  // the one being read and two waiting
};

// The path of a request target: the query dropped, an absolute-form target's scheme and authority dropped
// (RFC 9112 §3.2.2), runs of '/' collapsed ("/cds-services//id" from a base URL typed with a trailing slash).
// A view of `target`, or of `storage` when slashes were collapsed.
std::string_view NormalisedPath(std::string_view target, std::string& storage);
// The request base a card's rule page is linked under: publicBaseUrl, else http://<Host> when the Host is a
// plain host[:port]; empty when neither can be trusted.
std::string RulePageBase(const ServerSettings& settings, std::string_view host);

std::string_view ReasonPhrase(int status);

}  // namespace cds::hooks
