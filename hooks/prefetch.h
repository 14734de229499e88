// ResolvePrefetch: turns the request's prefetch and context into the cards' Record. CDS Hooks 2.0 §prefetch:
// a key that is absent was not (or could not be) fetched; a null value means "no data"; an OperationOutcome
// in its place — or an error/fatal OperationOutcome entry inside its Bundle (the EHR's search failed) — means
// the data is unavailable. Unavailable kinds are marked in Record::unavailable: the engine skips the rules
// that require them, and the caller answers 412 only when no rule of the service can run. What is
// unavailable can then be fetched from fhirServer (hooks/service_call.cpp): the same prefetch templates,
// rendered here, and the answers read into the record by ApplyFetched with the same rules as a prefetch.
//
//   cards::Record record;
//   auto report = ResolvePrefetch(request, service.needs, record);   // 400 for a malformed value
//   auto query = RenderPrefetchTemplate(cards::SpecOf(kind).query_template, request);   // "Condition?patient=123"
//   if (!engine.CanRun(service, record.unavailable)) → 412 naming report->Missing(record.unavailable)
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "cards/record.h"
#include "fhir/fhir_client.h"
#include "fhir/result.h"
#include "hooks/hook_request.h"

namespace cds::hooks {

struct PrefetchReport {
  // Why each unavailable kind is unavailable ("absent", "OperationOutcome: the EHR's fetch failed", then
  // what fetching it said); empty for a kind that is in.
  std::array<std::string, cards::kDataKindCount> why;
  // "\"bmi\" (absent), \"conditions\" (absent; fhirServer: HTTP 401 …)": the kinds in `unavailable`, for a 412.
  std::string Missing(cards::DataNeeds unavailable) const;
};

fhir::Result<PrefetchReport> ResolvePrefetch(const HookRequest& request, cards::DataNeeds needs,
                                             cards::Record& record);

// A prefetch template with the request's tokens filled in (CDS Hooks §prefetch tokens): {{context.X}} for a
// primitive member X of the context, {{userPractitionerId}}, {{userPractitionerRoleId}}, {{userPatientId}},
// {{userRelatedPersonId}} (the id of context.userId when it is of that type). Values are percent-encoded.
// An error names the token the request cannot fill, or the one that is not a prefetch token.
fhir::Result<std::string> RenderPrefetchTemplate(std::string_view tmpl, const HookRequest& request);

// Reads what fhirServer answered for `spec`'s kind into the record, by the same rules as a prefetch value.
// Returns "" when the data is in, else why it cannot be used (nothing is added then).
// Returns the problem ("" when read); `reason` gets it as one word (FhirFetched::reason, or wrong_resource /
// search_failed for an answer that came but cannot be used).
std::string ApplyFetched(const cards::DataSpec& spec, const fhir::FhirFetched& fetched, cards::Record& record,
                         const char** reason = nullptr);

}  // namespace cds::hooks
