// Routing, method and media-type checks, CORS (CDS Hooks §Cross-origin resource sharing: browser EHRs and
// the sandbox send a preflight without credentials before every call, feedback included).
#include "hooks/router.h"

#include <chrono>

#include "cards/catalog.h"
#include "hooks/audit_log.h"
#include "hooks/audit_report.h"
#include "hooks/feedback.h"
#include "hooks/log.h"
#include "hooks/operation_outcome.h"
#include "hooks/rule_page.h"
#include "hooks/service_call.h"

namespace cds::hooks {
namespace {

using fhir::ErrorKind;
using fhir::MakeError;

constexpr std::string_view kServicesPath = "/cds-services";
constexpr std::string_view kRulesPath = "/rules/";
constexpr std::string_view kAllowedMethods = "GET, POST, OPTIONS";
constexpr std::string_view kAllowedHeaders = "Content-Type, Authorization";

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// application/json or application/fhir+json, with any parameters (charset).
bool IsJsonMediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  return IEquals(type, "application/json") || IEquals(type, "application/fhir+json");
}

enum class Route { kDiscovery, kService, kFeedback, kRulePage, kHealth, kReady, kMetrics, kAuditReport, kUnknown };

Handler HandlerOf(Route r) {
  switch (r) {
    case Route::kDiscovery: return Handler::kDiscovery;
    case Route::kService: return Handler::kService;
    case Route::kFeedback: return Handler::kFeedback;
    case Route::kRulePage: return Handler::kRulePage;
    case Route::kHealth: return Handler::kHealth;
    case Route::kReady: return Handler::kReady;
    case Route::kMetrics: return Handler::kMetrics;
    case Route::kAuditReport: return Handler::kAudit;
    case Route::kUnknown: return Handler::kOther;
  }
  return Handler::kOther;
}

Route Match(std::string_view path, std::string_view& id) {
  if (path == "/healthz") return Route::kHealth;
  if (path == "/readyz") return Route::kReady;
  if (path == "/metrics") return Route::kMetrics;
  if (path == "/audit" || path == "/audit/" || path == "/audit/report.html") {
    id = "html";
    return Route::kAuditReport;
  }
  if (path == "/audit/report.json") {
    id = "json";
    return Route::kAuditReport;
  }
  if (path.size() > kRulesPath.size() && path.compare(0, kRulesPath.size(), kRulesPath) == 0 &&
      path.find('/', kRulesPath.size()) == std::string_view::npos) {
    id = path.substr(kRulesPath.size());
    return Route::kRulePage;
  }
  if (path == kServicesPath || path == "/cds-services/") return Route::kDiscovery;
  if (path.size() > kServicesPath.size() + 1 && path.compare(0, kServicesPath.size() + 1, "/cds-services/") == 0) {
    std::string_view rest = path.substr(kServicesPath.size() + 1);
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos) {
      id = rest;
      return Route::kService;
    }
    if (rest.substr(slash) == "/feedback") {
      id = rest.substr(0, slash);
      return Route::kFeedback;
    }
  }
  return Route::kUnknown;
}

// The value of `name` in the target's query string ("?from=2026-09-01&to=…"), undecoded; nullopt when absent.
std::optional<std::string> QueryParameter(std::string_view target, std::string_view name) {
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return std::string(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

bool UnderServices(std::string_view path) {
  return path.compare(0, kServicesPath.size(), kServicesPath) == 0 &&
         (path.size() == kServicesPath.size() || path[kServicesPath.size()] == '/');
}

// A field path of the request ("context.selections[3]"), safe for a log line; else empty.
std::string LoggableField(const std::string& expression) {
  static constexpr std::string_view kRoots[] = {"hook",    "hookInstance", "fhirServer", "fhirAuthorization",
                                                "context", "prefetch",     "extension",  "body"};
  if (expression.size() > 80) return {};
  bool rooted = false;
  for (std::string_view root : kRoots) {
    rooted |= expression.compare(0, root.size(), root) == 0 &&
              (expression.size() == root.size() || expression[root.size()] == '.' || expression[root.size()] == '[');
  }
  if (!rooted) return {};
  for (char c : expression) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '[' || c == ']' || c == '_';
    if (!ok) return {};
  }
  return expression;
}

}  // namespace

std::string_view NormalisedPath(std::string_view target, std::string& storage) {
  if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
    const std::size_t authority = target.find("//") + 2;
    const std::size_t path = target.find('/', authority);
    target = path == std::string_view::npos ? std::string_view("/") : target.substr(path);
  }
  target = target.substr(0, target.find('?'));
  if (target.find("//") == std::string_view::npos) return target;  // the usual case: nothing to collapse
  storage.clear();
  for (char c : target) {
    if (c == '/' && !storage.empty() && storage.back() == '/') continue;
    storage += c;
  }
  return storage;
}

std::string RulePageBase(const ServerSettings& settings, std::string_view host) {
  if (!settings.public_base_url.empty()) return settings.public_base_url;
  if (host.empty() || host.size() > 255) return {};
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return {};
  }
  return "http://" + std::string(host);
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

void Router::AddCors(const ServerSettings& settings, std::string_view origin, HttpResponse& response) const {
  for (const std::string& allowed : settings.cors_origins) {
    if (allowed == "*") {
      response.AddHeader("Access-Control-Allow-Origin", "*");
      return;
    }
  }
  if (!origin.empty()) {
    for (const std::string& allowed : settings.cors_origins) {
      if (allowed == origin) {
        response.AddHeader("Access-Control-Allow-Origin", allowed);
        break;
      }
    }
  }
  response.AddHeader("Vary", "Origin");  // the answer depends on the Origin header
}

void Router::Fail(const fhir::Error& error, std::string_view origin, HttpResponse& response) const {
  const auto snapshot = state_.Current();
  response.status = HttpStatus(error.kind);
  response.error_kind = ErrorKindName(error.kind);
  response.error_field = LoggableField(error.expression);
  response.content_type = "application/json";
  WriteOperationOutcome(error, response.body);
  // Every 503 says when to come back (feedback, a busy or unreadable report, too many connections).
  if (error.kind == ErrorKind::kOverloaded) response.AddHeader("Retry-After", "1");
  AddCors(snapshot->server, origin, response);
}

// The URLs a call may be addressed as (the JWT's aud): the configured public base plus the path, and the
// base as registered; without publicBaseUrl, the URL as the caller typed it (its Host, this scheme).
std::vector<std::string> Router::Audiences(const ServerSettings& settings, const HttpRequest& req,
                                           std::string_view path) {
  std::string_view trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.remove_suffix(1);
  std::vector<std::string> out;
  std::string base = settings.public_base_url;
  if (base.empty()) {
    const std::string host_base = RulePageBase(settings, req.host);  // http://<Host> when the Host is plain
    if (host_base.empty()) return out;
    base = (req.secure ? "https" : "http") + host_base.substr(4);
  } else {
    out.push_back(base);
    out.push_back(base + "/cds-services");
  }
  out.push_back(base + std::string(trimmed));
  if (trimmed.size() != path.size()) out.push_back(base + std::string(path));
  return out;
}

bool Router::Authenticated(HttpRequest& req, std::string_view path, const AppState::Snapshot& snapshot,
                           AuthResult& result, HttpResponse& resp) const {
  if (auth_ == nullptr) {
    result.failure = "no authenticator in this process";
    result.reason = "no_authenticator";
  } else {
    std::string keys_url;
    const auto step = auth_->Check(snapshot.server.auth, req.authorization, Audiences(snapshot.server, req, path),
                                   now_(), result, keys_url);
    if (step == Authenticator::Step::kNeedKeys && !req.keys_fetched) {
      // The token names a key of an allowed jku not yet cached: fetch the key set, then handle the call again.
      Authenticator* auth = auth_;
      resp.wait = [auth, keys_url](std::function<void()> resume) { auth->FetchKeys(keys_url, std::move(resume)); };
      resp.finish = [this, req](HttpResponse& r) mutable {
        req.keys_fetched = true;
        Handle(req, r);
      };
      return false;
    }
    if (step == Authenticator::Step::kNeedKeys) {
      result.failure = "no key with that kid (key set fetched)";
      result.reason = "unknown_kid";
    }
  }
  if (result.ok) return true;
  if (metrics_ != nullptr) metrics_->AuthRejected(result.reason);
  // No detail for the caller (CDS Hooks best practice); the log line says what failed, never the token.
  resp.log_detail = "auth: " + result.failure + (result.iss.empty() ? "" : " (iss " + result.iss.substr(0, 120) + ")");
  Fail(MakeError(ErrorKind::kUnauthorized,
                 "Authentication required: a valid JWT signed by a trusted EHR, in the Authorization header as a Bearer "
                 "token (CDS Hooks: Trusting CDS Clients)"),
       req.origin, resp);
  resp.AddHeader("WWW-Authenticate", "Bearer realm=\"achilles-cds\"");
  return false;
}

// CDS Hooks §Feedback: POST {baseUrl}/cds-services/{id}/feedback. The whole batch is checked before any of
// it is kept; recorded items are answered 200 (no body). When the recorder cannot take them now, 503 with
// Retry-After: the EHR sends them again, and nothing is lost.
void Router::Feedback(HttpRequest& req, std::string_view id, const AppState::Snapshot& snapshot,
                      HttpResponse& resp) const {
  if (snapshot.engine->Find(id) == nullptr) {
    return Fail(MakeError(ErrorKind::kUnknownService,
                          "No CDS service \"" + std::string(id.substr(0, 64)) + "\" to give feedback on; GET /cds-services lists them"),
                req.origin, resp);
  }
  if (!IsJsonMediaType(req.content_type)) {
    return Fail(MakeError(ErrorKind::kUnsupportedMediaType, "Content-Type must be application/json"), req.origin, resp);
  }
  auto items = ParseFeedback(*req.body, id, UtcTimestamp());
  if (!items) return Fail(items.error(), req.origin, resp);
  if (audit_ != nullptr && !audit_->Feedback(std::move(*items))) {
    return Fail(MakeError(ErrorKind::kOverloaded, "Feedback cannot be recorded right now; send it again shortly"),
                req.origin, resp);
  }
  resp.status = 200;
  AddCors(snapshot.server, req.origin, resp);
}

// GET /audit (HTML) and /audit/report.json: the adherence report, when audit.reportEndpoint is on. It is read
// on the router's report thread, never on this I/O thread: opening the card log may wait (a PostgreSQL
// connect, SQLite's lock held by a writer for up to its busy timeout), and reading a period of cards takes
// a while, and meanwhile the CDS calls this thread serves would wait with it. Two reports may wait behind
// the one being read; a fourth is a 503 to retry.
void Router::AuditReportPage(HttpRequest& req, std::string_view format,
                             const std::shared_ptr<const AppState::Snapshot>& snapshot, HttpResponse& resp) const {
  const ServerSettings::Audit& a = snapshot->server.audit;
  if (!a.enabled || !a.report_endpoint) {
    return Fail(MakeError(ErrorKind::kNotFound, "No route /audit: the report is served only when audit.reportEndpoint is on"),
                req.origin, resp);
  }
  auto period = ParseReportPeriod(QueryParameter(req.target, "from"), QueryParameter(req.target, "to"), today_().days);
  if (!period) return Fail(period.error(), req.origin, resp);
  const bool json = format == "json";
  auto report = std::make_shared<std::optional<fhir::Result<std::string>>>();
  BackgroundQueue* reports = reports_.get();
  resp.wait = [reports, report, snapshot, database = AuditDatabase(a), period = *period,
               kind = json ? audit::ReportFormat::kJson : audit::ReportFormat::kHtml](std::function<void()> resume) {
    const bool queued = reports->Post([report, snapshot, database, period, kind, resume] {
      try {
        *report = AuditReport(database, *snapshot->engine, period, kind);
      } catch (const std::exception& e) {  // our bug: a 500, as on an I/O thread — never a dead process
        LogError("internal error while reading the audit report: %s", e.what());
        *report = MakeError(ErrorKind::kInternal, "Internal error; the service log has details");
      }
      resume();
    });
    if (!queued) {
      *report = MakeError(ErrorKind::kOverloaded, "Other audit reports are being read; try again shortly");
      resume();
    }
  };
  // `origin` views the request's Origin header, which the connection keeps until it has answered.
  resp.finish = [this, report, snapshot, origin = req.origin, json](HttpResponse& r) {
    if (!*report) return Fail(MakeError(ErrorKind::kInternal, "The audit report was not read"), origin, r);
    if (!**report) return Fail((*report)->error(), origin, r);
    r.body = std::move(***report);
    r.status = 200;
    if (!json) r.content_type = "text/html; charset=utf-8";
    AddCors(snapshot->server, origin, r);
  };
}

// GET /metrics: the Prometheus text exposition. Not under authentication by default (a scraper has no EHR's
// key), so it answers only the addresses metrics.allowFrom lists; a 403 says which setting decides.
void Router::MetricsPage(HttpRequest& req, std::string_view path, const AppState::Snapshot& snapshot,
                         HttpResponse& resp) const {
  const ServerSettings::Metrics& m = snapshot.server.metrics;
  if (metrics_ == nullptr || !m.enabled) {
    return Fail(MakeError(ErrorKind::kNotFound, "No route " + std::string(path) + ": metrics.enabled is off"),
                req.origin, resp);
  }
  if (!m.authenticate && !AddressInRanges(req.remote, m.allow_from)) {
    return Fail(MakeError(ErrorKind::kForbidden,
                          "/metrics is served only to the addresses in metrics.allowFrom (or, with metrics.access "
                          "\"authentication\", to a caller with a signed JWT)"),
                req.origin, resp);
  }
  resp.body = metrics_->Render();
  resp.status = 200;
  resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
}

// GET /readyz: whether this replica should get traffic. Its configuration is loaded once it serves at all (a
// configuration that does not load stops start-up; a failed reload keeps the running one), so what is left
// to ask is the card log: did its store answer the last write, read or probe? Not ready is a 503 that a load
// balancer or Kubernetes acts on.
void Router::Ready(const HttpRequest& req, HttpResponse& resp) const {
  if (audit_ != nullptr && audit_->recorder() != nullptr && !audit_->recorder()->stats().store_ok) {
    return Fail(MakeError(ErrorKind::kNotReady,
                          "Not ready: the card log's store (audit.database) does not answer; cards are queued "
                          "until it does"),
                req.origin, resp);
  }
  resp.body = "{\"status\":\"ready\"}";
  resp.status = 200;
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void Router::Handle(HttpRequest& req, HttpResponse& resp) const {
  std::string collapsed;
  const std::string_view path = NormalisedPath(req.target, collapsed);
  std::string_view id;
  const Route route = Match(path, id);
  const auto snapshot = state_.Current();
  resp.handler = req.method == Method::kOptions ? Handler::kPreflight : HandlerOf(route);
  if (route == Route::kService || route == Route::kFeedback) {
    if (const cards::ServiceDefinition* def = cards::FindServiceDefinition(id)) resp.service = def->id;
  }

  if (req.method == Method::kOptions && (UnderServices(path) || route != Route::kUnknown)) {
    // Preflight: no credentials, no body — on every path under /cds-services, so a browser EHR can send
    // feedback and a typo in a service id still reaches the 404 that says so.
    const bool post = route == Route::kService || route == Route::kFeedback || route == Route::kUnknown;
    resp.status = 204;
    AddCors(snapshot->server, req.origin, resp);
    resp.AddHeader("Access-Control-Allow-Methods", kAllowedMethods);
    resp.AddHeader("Access-Control-Allow-Headers", kAllowedHeaders);
    resp.AddHeader("Access-Control-Max-Age", "600");
    resp.AddHeader("Allow", post ? "POST, OPTIONS" : "GET, OPTIONS");
    return;
  }
  if (route == Route::kUnknown && !UnderServices(path))
    return Fail(MakeError(ErrorKind::kNotFound, "No route " + std::string(path.substr(0, 200))), req.origin, resp);
  // §Trusting CDS Clients: every call under /cds-services carries the EHR's signed JWT (the preflight above
  // cannot, and needs none). /healthz, /readyz and the rule pages a clinician opens from a card are public;
  // /metrics has its own access (an address allowlist, or the same JWT).
  AuthResult caller;
  const bool open = route == Route::kHealth || route == Route::kReady || route == Route::kRulePage ||
                    (route == Route::kMetrics && !snapshot->server.metrics.authenticate);
  if (!open && snapshot->server.auth.required && !Authenticated(req, path, *snapshot, caller, resp)) {
    return;
  }
  if (route == Route::kUnknown)
    return Fail(MakeError(ErrorKind::kNotFound, "No route " + std::string(path.substr(0, 200))), req.origin, resp);
  const bool is_service = route == Route::kService || route == Route::kFeedback;
  if (is_service ? req.method != Method::kPost : (req.method != Method::kGet && req.method != Method::kHead)) {
    resp.AddHeader("Allow", is_service ? "POST, OPTIONS" : "GET, HEAD, OPTIONS");
    return Fail(MakeError(ErrorKind::kMethodNotAllowed, std::string(path.substr(0, 200)) + (is_service ? " accepts POST" : " accepts GET")),
                req.origin, resp);
  }
  if (route == Route::kFeedback) return Feedback(req, id, *snapshot, resp);
  if (route == Route::kAuditReport) return AuditReportPage(req, id, snapshot, resp);
  if (route == Route::kMetrics) return MetricsPage(req, path, *snapshot, resp);
  if (route == Route::kReady) return Ready(req, resp);

  if (route == Route::kHealth) {
    resp.body = "{\"status\":\"ok\"}";
  } else if (route == Route::kDiscovery) {
    resp.body = snapshot->discovery;
  } else if (route == Route::kRulePage) {
    auto page = RulePage(*snapshot->engine, id);
    if (!page) return Fail(MakeError(ErrorKind::kNotFound, "No rule \"" + std::string(id.substr(0, 64)) + "\""), req.origin, resp);
    resp.body = std::move(*page);
    resp.content_type = "text/html; charset=utf-8";
  } else {
    if (!IsJsonMediaType(req.content_type)) {
      return Fail(MakeError(ErrorKind::kUnsupportedMediaType, "Content-Type must be application/json"), req.origin,
                  resp);
    }
    const std::string base = RulePageBase(snapshot->server, req.host);
    long recorded = 0;
    const ResponseOptions options{base, &snapshot->profile, audit_, metrics_, &recorded};
    FetchContext fetch;
    if (fhir_client_ != nullptr && snapshot->server.fhir_fetch_enabled) {
      fetch.client = fhir_client_;
      fetch.policy = snapshot->server.fhir_fetch;
      fetch.keep_alive = snapshot;  // the engine and profile the call uses stay loaded while it fetches
      fetch.allowed_servers = std::move(caller.fhir_servers);
    }
    std::shared_ptr<PendingCall> pending;
    auto ok = HandleServiceCall(*snapshot->engine, id, *req.body, today_(), options, resp.body, fetch, &pending);
    if (!ok) return Fail(ok.error(), req.origin, resp);
    if (pending) {
      resp.wait = [pending](std::function<void()> resume) { pending->Fetch(std::move(resume)); };
      // `origin` views the request's Origin header, which the connection keeps until it has answered.
      resp.finish = [this, pending, snapshot, origin = req.origin](HttpResponse& r) {
        auto answer = pending->Finish();
        if (!answer) return Fail(answer.error(), origin, r);
        r.body = std::move(*answer);
        r.status = 200;
        AddCors(snapshot->server, origin, r);
        AwaitCardLog(pending->recorded(), snapshot->server, r);
      };
      return;
    }
    resp.status = 200;
    AddCors(snapshot->server, req.origin, resp);
    return AwaitCardLog(recorded, snapshot->server, resp);
  }
  resp.status = 200;
  AddCors(snapshot->server, req.origin, resp);
}

// audit.durableBeforeAnswer: the answer leaves only once its cards survive this process being killed, so a
// replica killed right after answering has lost no card the EHR showed. A card in the card journal already
// does (the usual case: no wait at all); one that found the journal full waits for its commit. The wait is
// bounded (audit.durableWaitMs; at once when the store fails): the clinician's advice never waits on the
// audit trail for long.
void Router::AwaitCardLog(long recorded, const ServerSettings& settings, HttpResponse& resp) const {
  if (recorded <= 0 || audit_ == nullptr || audit_->recorder() == nullptr || !settings.audit.durable_before_answer) {
    return;
  }
  audit::Recorder* recorder = audit_->recorder();
  if (recorder->Safe(recorded)) return;
  const std::chrono::milliseconds max_wait = settings.audit.durable_wait;
  resp.wait = [recorder, recorded, max_wait](std::function<void()> resume) {
    recorder->WhenWritten(recorded, max_wait, std::move(resume));
  };
  resp.finish = nullptr;
}

}  // namespace cds::hooks
