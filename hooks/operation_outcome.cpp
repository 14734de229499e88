// Error kind → HTTP status and OperationOutcome (issue.code from the FHIR issue-type value set).
#include "hooks/operation_outcome.h"

#include "hooks/json_writer.h"

namespace cds::hooks {

using fhir::ErrorKind;

int HttpStatus(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest: return 400;
    case ErrorKind::kUnauthorized: return 401;  // CDS Hooks best practice: an unauthenticated call
    case ErrorKind::kForbidden: return 403;
    case ErrorKind::kNotReady: return 503;
    case ErrorKind::kUnknownService: return 404;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kMethodNotAllowed: return 405;
    case ErrorKind::kTimeout: return 408;
    case ErrorKind::kOverloaded: return 503;
    case ErrorKind::kPrefetchUnavailable: return 412;  // CDS Hooks 2.0 §prefetch: required data unobtainable
    case ErrorKind::kPayloadTooLarge: return 413;
    case ErrorKind::kUnsupportedMediaType: return 415;
    case ErrorKind::kHeaderTooLarge: return 431;
    case ErrorKind::kInternal: return 500;
  }
  return 500;
}

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest: return "bad-request";
    case ErrorKind::kUnauthorized: return "unauthorized";
    case ErrorKind::kForbidden: return "forbidden";
    case ErrorKind::kNotReady: return "not-ready";
    case ErrorKind::kUnknownService: return "unknown-service";
    case ErrorKind::kNotFound: return "not-found";
    case ErrorKind::kMethodNotAllowed: return "method-not-allowed";
    case ErrorKind::kTimeout: return "timeout";
    case ErrorKind::kOverloaded: return "overloaded";
    case ErrorKind::kPrefetchUnavailable: return "prefetch-unavailable";
    case ErrorKind::kPayloadTooLarge: return "payload-too-large";
    case ErrorKind::kUnsupportedMediaType: return "unsupported-media-type";
    case ErrorKind::kHeaderTooLarge: return "header-too-large";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

namespace {

// http://hl7.org/fhir/ValueSet/issue-type
const char* IssueCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest: return "invalid";
    case ErrorKind::kUnauthorized: return "login";
    case ErrorKind::kForbidden: return "forbidden";
    case ErrorKind::kNotReady: return "transient";
    case ErrorKind::kUnknownService: return "not-found";
    case ErrorKind::kNotFound: return "not-found";
    case ErrorKind::kMethodNotAllowed: return "not-supported";
    case ErrorKind::kTimeout: return "timeout";
    case ErrorKind::kOverloaded: return "throttled";
    case ErrorKind::kPrefetchUnavailable: return "incomplete";
    case ErrorKind::kPayloadTooLarge: return "too-costly";
    case ErrorKind::kUnsupportedMediaType: return "not-supported";
    case ErrorKind::kHeaderTooLarge: return "too-costly";
    case ErrorKind::kInternal: return "exception";
  }
  return "exception";
}

}  // namespace

void WriteOperationOutcome(const fhir::Error& error, std::string& out) {
  JsonWriter w(out);
  w.StartObject();
  Member(w, "resourceType", "OperationOutcome");
  Key(w, "issue");
  w.StartArray();
  w.StartObject();
  Member(w, "severity", "error");
  Member(w, "code", IssueCode(error.kind));
  OptionalMember(w, "diagnostics", error.message);
  if (!error.expression.empty()) {
    Key(w, "expression");
    w.StartArray();
    w.String(error.expression);
    w.EndArray();
  }
  w.EndObject();
  w.EndArray();
  w.EndObject();
}

std::string OperationOutcome(const fhir::Error& error) {
  std::string out;
  WriteOperationOutcome(error, out);
  return out;
}

}  // namespace cds::hooks
