// Value-or-error for expected failures (bad input, missing data), so no request path throws.
// Exceptions are kept for start-up: a bad configuration file is a ConfigError that stops the process.
//
//   Result<int> r = ParsePort("80");
//   if (!r) return r.error();
//   Use(*r);
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace cds::fhir {

// Each kind maps to exactly one HTTP status in hooks/operation_outcome.cpp.
enum class ErrorKind {
  kBadRequest,            // the caller's request is malformed or incomplete
  kUnauthorized,          // no valid signed JWT from a trusted client (CDS Hooks: 401)
  kForbidden,             // the caller is known not to be allowed (an address off an allowlist: 403)
  kUnknownService,        // no CDS service with that id
  kNotFound,              // no such route
  kMethodNotAllowed,      // route exists, method does not
  kUnsupportedMediaType,  // body is not JSON
  kPayloadTooLarge,       // body over the configured limit
  kHeaderTooLarge,        // request header over the limit
  kPrefetchUnavailable,   // required data absent and nobody to ask (CDS Hooks: 412)
  kTimeout,               // the client did not send the request in time
  kOverloaded,            // too many connections or request bodies at once: try again shortly
  kNotReady,              // this replica cannot serve well now (its store does not answer): 503
  kInternal,              // our bug; never the caller's fault
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;     // for the client: says what was wrong and where
  std::string expression;  // the offending field, e.g. "context.patientId" (may be empty)
};

inline Error MakeError(ErrorKind kind, std::string message, std::string expression = {}) {
  return Error{kind, std::move(message), std::move(expression)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  explicit operator bool() const { return v_.index() == 0; }
  bool ok() const { return v_.index() == 0; }
  T& operator*() { return std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// A configuration or value-set file that cannot be used. Thrown only while loading, caught in main,
// which prints it and exits non-zero: the service never starts on a half-read configuration.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& file, const std::string& field, const std::string& problem)
      : std::runtime_error(file + (field.empty() ? "" : ": " + field) + ": " + problem) {}
};

}  // namespace cds::fhir
