// ResolvePrefetch: turns the request's prefetch and context into the cards' Record. CDS Hooks 2.0 §prefetch:
// a key that is absent was not (or could not be) fetched; a null value means "no data"; an OperationOutcome
// in its place — or an error/fatal OperationOutcome entry inside its Bundle (the EHR's search failed) — means
// the data is unavailable. Unavailable kinds are marked in Record::unavailable: the engine skips the rules
// that require them, and the caller answers 412 only when no rule of the service can run. A fetch from
// fhirServer slots in here (next issue): it fills the kinds this step leaves unavailable.
//
//   cards::Record record;
//   auto report = ResolvePrefetch(request, service.needs, record);   // 400 for a malformed value
//   if (!engine.CanRun(service, record.unavailable)) → 412 naming report->missing
#pragma once

#include <string>

#include "cards/record.h"
#include "fhir/result.h"
#include "hooks/hook_request.h"

namespace cds::hooks {

struct PrefetchReport {
  std::string missing;  // "\"bmi\" (absent), \"conditions\" (OperationOutcome: …)": for a 412
};

fhir::Result<PrefetchReport> ResolvePrefetch(const HookRequest& request, cards::DataNeeds needs,
                                             cards::Record& record);

}  // namespace cds::hooks
