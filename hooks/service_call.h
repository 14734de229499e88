// HandleServiceCall: one CDS service call from body to response body, with no socket in it — the HTTP
// server and `achilles-cds evaluate` both call this, so they cannot disagree. When the prefetch lacks data
// a rule reads and the request names a fhirServer, the call becomes a PendingCall: it fetches the missing
// kinds from the FHIR server (all at once, one deadline) and answers when they are in.
//
//   std::string out;
//   std::shared_ptr<PendingCall> pending;
//   fhir::Result<bool> ok = HandleServiceCall(engine, "achilles-order-sign", body, today, options, out, fetch, &pending);
//   // !ok: ok.error() → HttpStatus + OperationOutcome; pending: pending->Fetch(resume), then pending->Finish();
//   // else out holds {"cards":[…]}
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cards/engine.h"
#include "fhir/date.h"
#include "fhir/fhir_client.h"
#include "fhir/result.h"
#include "hooks/card_writer.h"
#include "hooks/server_settings.h"

namespace cds::hooks {

// Whether and how a call may fetch what its prefetch lacks (CDS Hooks §prefetch: the service MAY query
// fhirServer with the access token it was given).
struct FetchContext {
  fhir::FhirClient* client = nullptr;  // null: never fetch (the call is answered, or refused 412, at once)
  fhir::FhirFetchPolicy policy;
  std::shared_ptr<const void> keep_alive;  // what the engine and the options point into, held while fetching
  // The authenticated client's fhirServers: when not empty, a fhirServer that is not one of them (or under
  // one) is never contacted, and its keys count as unavailable.
  std::vector<std::string> allowed_servers;
};

// Whether `server` is `allowed` itself or under it at a path boundary (https://ehr/fhir allows
// https://ehr/fhir/R4, not https://ehr/fhir-other); an empty list allows any.
bool FhirServerAllowed(std::string_view server, const std::vector<std::string>& allowed);

class PendingCall : public std::enable_shared_from_this<PendingCall> {
 public:
  struct State;
  explicit PendingCall(std::unique_ptr<State> state);
  ~PendingCall();

  // Fetches what the prefetch lacked. `resume` runs exactly once, on a FHIR client thread (or inline when
  // nothing could be asked for), when the answers are in or the deadline has passed: it must only hand the
  // call over (post it to the caller's thread), never do the work there.
  void Fetch(std::function<void()> resume);
  // The answer with what was fetched: {"cards":[…]} (or the explain report), or the error — a 412 naming
  // each key still missing and why — when no rule of the service can run. Runs the rules.
  fhir::Result<std::string> Finish();
  // After Finish: the card log's place of the last card the answer recorded (0: none).
  long recorded() const;

 private:
  std::unique_ptr<State> state_;
};

// `body` is parsed in place (it is modified; moved into `*pending` when the call goes on fetching). On
// success either `out` holds the response JSON or `*pending` is set (only when `pending` is given).
fhir::Result<bool> HandleServiceCall(const cards::Engine& engine, std::string_view service_id, std::string& body,
                                     fhir::Date today, const ResponseOptions& options, std::string& out,
                                     const FetchContext& fetch = {}, std::shared_ptr<PendingCall>* pending = nullptr);

// `achilles-cds explain`: the same validation as a service call, then a plain-text report of the facts and
// of every rule of the service — fired (with its card) or not, and why; with `audit`, whether a card that
// fired would be withheld (snoozed) and why. Fetches like a call when `pending` is given. Records nothing.
fhir::Result<std::string> ExplainServiceCall(const cards::Engine& engine, std::string_view service_id, std::string& body,
                                             fhir::Date today, const FetchContext& fetch = {},
                                             std::shared_ptr<PendingCall>* pending = nullptr,
                                             AuditLog* audit = nullptr);

// The outbound HTTP client calls fetch data and key sets with, per server.json's "fhirFetch" (threads, extra
// trusted CAs). Throws fhir::ConfigError when the CA file cannot be read.
std::shared_ptr<fhir::HttpGetter> MakeHttpGetter(const ServerSettings& settings);

// Today's date in UTC.
fhir::Date TodayUtc();

}  // namespace cds::hooks
