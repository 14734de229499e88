// Routing, method and media-type checks, CORS (CDS Hooks §Cross-origin resource sharing: browser EHRs and
// the sandbox send a preflight without credentials before every call).
#include "hooks/router.h"

#include "hooks/operation_outcome.h"
#include "hooks/service_call.h"

namespace cds::hooks {
namespace {

using fhir::ErrorKind;
using fhir::MakeError;

constexpr std::string_view kServicesPath = "/cds-services";
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

enum class Route { kDiscovery, kService, kFeedback, kHealth, kUnknown };

Route Match(std::string_view path, std::string_view& service_id) {
  if (path == "/healthz") return Route::kHealth;
  if (path == kServicesPath || path == "/cds-services/") return Route::kDiscovery;
  if (path.size() > kServicesPath.size() + 1 && path.compare(0, kServicesPath.size() + 1, "/cds-services/") == 0) {
    std::string_view rest = path.substr(kServicesPath.size() + 1);
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos) {
      service_id = rest;
      return Route::kService;
    }
    if (rest.substr(slash) == "/feedback") {
      service_id = rest.substr(0, slash);
      return Route::kFeedback;
    }
  }
  return Route::kUnknown;
}

}  // namespace

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
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

void Router::AddCors(std::string_view origin, HttpResponse& response) const {
  for (const std::string& allowed : settings_.cors_origins) {
    if (allowed == "*") {
      response.AddHeader("Access-Control-Allow-Origin", "*");
      return;
    }
  }
  if (!origin.empty()) {
    for (const std::string& allowed : settings_.cors_origins) {
      if (allowed == origin) {
        response.AddHeader("Access-Control-Allow-Origin", allowed);
        break;
      }
    }
  }
  response.AddHeader("Vary", "Origin");  // the answer depends on the Origin header
}

void Router::Fail(const fhir::Error& error, std::string_view origin, HttpResponse& response) const {
  response.status = HttpStatus(error.kind);
  response.error_kind = ErrorKindName(error.kind);
  WriteOperationOutcome(error, response.body);
  AddCors(origin, response);
}

void Router::Handle(HttpRequest& req, HttpResponse& resp) const {
  const std::string_view path = req.target.substr(0, req.target.find('?'));
  std::string_view service_id;
  const Route route = Match(path, service_id);

  if (route == Route::kUnknown)
    return Fail(MakeError(ErrorKind::kNotFound, "No route " + std::string(path)), req.origin, resp);
  if (route == Route::kFeedback) {
    return Fail(MakeError(ErrorKind::kNotFound, "CDS Hooks feedback is not supported by this version of the service"),
                req.origin, resp);
  }

  const bool is_service = route == Route::kService;
  if (req.method == Method::kOptions) {  // preflight: no credentials, no body
    resp.status = 204;
    AddCors(req.origin, resp);
    resp.AddHeader("Access-Control-Allow-Methods", kAllowedMethods);
    resp.AddHeader("Access-Control-Allow-Headers", kAllowedHeaders);
    resp.AddHeader("Access-Control-Max-Age", "600");
    resp.AddHeader("Allow", is_service ? "POST, OPTIONS" : "GET, OPTIONS");
    return;
  }
  if (is_service ? req.method != Method::kPost : (req.method != Method::kGet && req.method != Method::kHead)) {
    resp.AddHeader("Allow", is_service ? "POST, OPTIONS" : "GET, HEAD, OPTIONS");
    return Fail(
        MakeError(ErrorKind::kMethodNotAllowed, std::string(path) + (is_service ? " accepts POST" : " accepts GET")),
        req.origin, resp);
  }

  const auto snapshot = state_.Current();
  if (route == Route::kHealth) {
    resp.body = "{\"status\":\"ok\"}";
  } else if (route == Route::kDiscovery) {
    resp.body = snapshot->discovery;
  } else {
    if (!IsJsonMediaType(req.content_type)) {
      return Fail(MakeError(ErrorKind::kUnsupportedMediaType, "Content-Type must be application/json"), req.origin,
                  resp);
    }
    auto ok = HandleServiceCall(*snapshot->engine, service_id, *req.body, today_(), resp.body);
    if (!ok) return Fail(ok.error(), req.origin, resp);
  }
  resp.status = 200;
  AddCors(req.origin, resp);
}

}  // namespace cds::hooks
