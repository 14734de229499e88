// HandleServiceCall: one CDS service call from body to response body, with no socket in it — the HTTP
// server and `achilles-cds evaluate` both call this, so they cannot disagree.
//
//   std::string out;
//   fhir::Result<bool> ok = HandleServiceCall(engine, "achilles-order-sign", body, today, options, out);
//   // ok: out holds {"cards":[…]}; else ok.error() → HttpStatus + OperationOutcome
#pragma once

#include <string>
#include <string_view>

#include "cards/engine.h"
#include "fhir/date.h"
#include "fhir/result.h"
#include "hooks/card_writer.h"

namespace cds::hooks {

// `body` is parsed in place (it is modified). On success `out` holds the response JSON.
fhir::Result<bool> HandleServiceCall(const cards::Engine& engine, std::string_view service_id, std::string& body,
                                     fhir::Date today, const ResponseOptions& options, std::string& out);

// `achilles-cds explain`: the same validation as a service call, then a plain-text report of the facts and
// of every rule of the service — fired (with its card) or not, and why.
fhir::Result<std::string> ExplainServiceCall(const cards::Engine& engine, std::string_view service_id, std::string& body,
                                             fhir::Date today);

// Today's date in UTC.
fhir::Date TodayUtc();

}  // namespace cds::hooks
