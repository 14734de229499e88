// In-process service calls.
#include "tests/support/service_calls.h"

#include "hooks/operation_outcome.h"
#include "hooks/service_call.h"
#include "tests/support/files.h"
#include "tests/support/recorder.h"

namespace cds::test {

const cards::Engine& ShippedEngine() {
  static const std::shared_ptr<const cards::Engine> engine = cards::Engine::Load(ConfigDir());
  return *engine;
}

fhir::Date TestToday() { return fhir::Date::FromYmd(2026, 11, 28); }

CallResult CallService(const std::string& service_id, std::string body, fhir::Date today, const cards::Engine& engine) {
  CallResult r;
  // As `achilles-cds evaluate` with the shipped server.json: rule pages under http://localhost:8080.
  static const hooks::EhrProfile profile = hooks::EhrProfile::Load(ConfigDir() + "/ehr-profiles/generic.json");
  const hooks::ResponseOptions options{"http://localhost:8080", &profile};
  auto ok = hooks::HandleServiceCall(engine, service_id, body, today, options, r.body);
  if (ok) {
    r.status = 200;
  } else {
    r.status = hooks::HttpStatus(ok.error().kind);
    r.body = hooks::OperationOutcome(ok.error());
  }
  RecordResponse(r.status == 200 ? "cards" : "error", r.status, r.body);
  return r;
}

}  // namespace cds::test
