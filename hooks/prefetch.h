// ResolvePrefetch: turns the request's prefetch and context into the cards' Record. CDS Hooks 2.0 §prefetch:
// a key that is absent was not (or could not be) fetched; a null value means "no data"; an
// OperationOutcome in its place means the client's fetch failed. Required data that cannot be had → 412,
// naming every missing key.
//
//   cards::Record record;
//   auto ok = ResolvePrefetch(request, service.needs, record);   // kPrefetchUnavailable → 412
#pragma once

#include "cards/record.h"
#include "fhir/result.h"
#include "hooks/hook_request.h"

namespace cds::hooks {

fhir::Result<bool> ResolvePrefetch(const HookRequest& request, cards::DataNeeds needs, cards::Record& record);

}  // namespace cds::hooks
