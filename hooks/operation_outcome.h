// The one place an error kind becomes an HTTP status and a FHIR OperationOutcome body (CDS Hooks 3.0
// ballot: non-2xx responses SHOULD carry an OperationOutcome). Never a stack trace.
//
//   auto [status, body] = ...;  int s = HttpStatus(err.kind);  WriteOperationOutcome(err, body);
#pragma once

#include <string>

#include "fhir/result.h"

namespace cds::hooks {

int HttpStatus(fhir::ErrorKind kind);
// {"resourceType":"OperationOutcome","issue":[{"severity":"error","code":…,"diagnostics":…,"expression":[…]}]}
void WriteOperationOutcome(const fhir::Error& error, std::string& out);
std::string OperationOutcome(const fhir::Error& error);
// Short, content-free name of the error kind, safe for a log line.
const char* ErrorKindName(fhir::ErrorKind kind);

}  // namespace cds::hooks
