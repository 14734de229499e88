// Operational log lines on stderr, in one of two formats (server.json "logFormat"):
//   text: "2026-11-28T12:00:00Z info message"
//   json: {"time":"2026-11-28T12:00:00Z","level":"info","event":"log","message":"…"} — one object a line,
//         for log shippers; a request's line carries event, method, path, service, status, duration_us and
//         request_id as fields of their own.
// Callers pass only content-free values (status codes, error kinds, service ids, counts, timings): never a
// patient identifier, resource content or token (README, "Logging").
#pragma once

#include <string_view>

namespace cds::hooks {

enum class LogFormat { kText, kJson };
// Start-up only (before any I/O thread logs).
void SetLogFormat(LogFormat format);

void LogInfo(const char* format, ...) __attribute__((format(printf, 1, 2)));
void LogError(const char* format, ...) __attribute__((format(printf, 1, 2)));

// One answered request: "access" (accessLog on) or "refused" (every non-2xx answer).
struct RequestLine {
  std::string_view event;       // "access" | "refused"
  std::string_view method;      // access only
  std::string_view path;        // access only: up to the service id, never a query string
  std::string_view service;     // a known service id, or ""
  int status = 0;
  std::string_view error;       // the error kind ("bad-request"), or ""
  std::string_view field;       // the OperationOutcome's field path (never a value), or ""
  std::string_view detail;      // content-free words ("auth: expired"), or ""
  long duration_us = 0;
  std::string_view request_id;  // X-Request-Id, as received (checked) or made up here
};
void LogRequest(const RequestLine& line);

}  // namespace cds::hooks
