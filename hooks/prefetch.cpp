// Prefetch resolution. Bundles of type searchset or collection are read entry by entry; entries of other
// resource types (an OperationOutcome with search.mode "outcome", _include'd resources) are skipped.
#include "hooks/prefetch.h"

#include <string>

#include "fhir/bundle.h"

namespace cds::hooks {
namespace {

using cards::DataKind;
using cards::DataSpec;
using fhir::ErrorKind;

enum class Outcome { kData, kMissing, kFailedFetch };

// Reads one prefetch value into `out`, or says why it cannot.
fhir::Result<Outcome> ReadKey(const rapidjson::Value* prefetch, const DataSpec& spec,
                              std::vector<fhir::Resource>& out) {
  const std::string path = "prefetch." + std::string(spec.prefetch_key);
  const rapidjson::Value* value = nullptr;
  if (prefetch != nullptr) {
    auto it = prefetch->FindMember(rapidjson::StringRef(spec.prefetch_key.data(), spec.prefetch_key.size()));
    if (it != prefetch->MemberEnd()) value = &it->value;
  }
  if (value == nullptr) return Outcome::kMissing;
  if (value->IsNull()) return Outcome::kData;  // fetched: nothing there
  if (!value->IsObject())
    return fhir::MakeError(ErrorKind::kBadRequest, "\"" + path + "\" must be a FHIR resource or null", path);

  const fhir::Resource resource(fhir::Node(*value));
  const std::string_view type = resource.resource_type();
  if (type == "OperationOutcome") return Outcome::kFailedFetch;
  if (type == spec.resource_type) {  // a bare resource: a read, or a client that unwrapped a one-entry search
    out.push_back(resource);
    return Outcome::kData;
  }
  if (type != "Bundle") {
    return fhir::MakeError(ErrorKind::kBadRequest,
                           "\"" + path + "\" must be a Bundle of " + std::string(spec.resource_type) + " (got " +
                               (type.empty() ? std::string("no resourceType") : std::string(type)) + ")",
                           path);
  }
  const fhir::Bundle bundle(resource.node());
  if (!bundle.type().empty() && bundle.type() != "searchset" && bundle.type() != "collection") {
    return fhir::MakeError(ErrorKind::kBadRequest, "\"" + path + ".type\" must be \"searchset\" or \"collection\"",
                           path + ".type");
  }
  if (!bundle.entries_well_formed()) {
    return fhir::MakeError(ErrorKind::kBadRequest, "\"" + path + ".entry\" must be an array", path + ".entry");
  }
  for (std::size_t i = 0, n = bundle.entry_count(); i < n; ++i) {
    const fhir::Resource entry = bundle.entry(i);
    if (entry.resource_type() != spec.resource_type) continue;  // search outcomes, _include'd resources
    out.push_back(entry);
    if (spec.single_resource) break;
  }
  return Outcome::kData;
}

}  // namespace

fhir::Result<bool> ResolvePrefetch(const HookRequest& request, cards::DataNeeds needs, cards::Record& record) {
  record.hook = request.hook;
  record.patient_id = request.patient_id;
  record.user_id = request.user_id;
  record.encounter_id = request.encounter_id;
  record.selections = request.selections;
  if (request.draft_orders != nullptr) {
    const fhir::Bundle drafts(fhir::Node(*request.draft_orders));
    record.draft_orders.reserve(drafts.entry_count());
    for (std::size_t i = 0, n = drafts.entry_count(); i < n; ++i) record.draft_orders.push_back(drafts.entry(i));
  }

  std::string missing;
  for (const DataSpec& spec : cards::DataSpecs()) {
    if (!cards::Needs(needs, spec.kind)) continue;
    auto outcome = ReadKey(request.prefetch, spec, record.of(spec.kind));
    if (!outcome) return outcome.error();
    if (*outcome == Outcome::kData) continue;
    if (!missing.empty()) missing += ", ";
    missing.append("\"")
        .append(spec.prefetch_key)
        .append(*outcome == Outcome::kMissing ? "\" (absent)" : "\" (OperationOutcome: the EHR's fetch failed)");
  }
  if (missing.empty()) return true;
  // §Prefetch: "If the CDS Service is unable to obtain the required data, it SHALL return 412".
  std::string message = "Required prefetch data unavailable: " + missing + ". ";
  message +=
      request.fhir_server.empty()
          ? "The request has no fhirServer to fetch it from; send the prefetch the discovery document lists."
          : "This service does not query the FHIR server itself yet; send the prefetch the discovery document lists.";
  return fhir::MakeError(ErrorKind::kPrefetchUnavailable, std::move(message), "prefetch");
}

}  // namespace cds::hooks
