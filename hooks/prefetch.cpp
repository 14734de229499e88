// Prefetch resolution. Bundles of type searchset or collection are read entry by entry; entries of other
// resource types (_include'd resources, a warning OperationOutcome with search.mode "outcome" such as
// Epic's "no results") are skipped. (Resources about another patient are ignored by the facts builder,
// which checks only the ones that would matter.)
#include "hooks/prefetch.h"

#include <string>

#include "fhir/bundle.h"

namespace cds::hooks {
namespace {

using cards::DataKind;
using cards::DataSpec;
using fhir::ErrorKind;

enum class Outcome { kData, kMissing, kFailedFetch };

// An OperationOutcome with an issue of severity error or fatal: a failed search (a warning is not).
bool IsFailure(const fhir::Resource& outcome) {
  const fhir::JsonNode* issues = fhir::json::Member(outcome.node(), "issue");
  for (std::size_t i = 0, n = fhir::json::Size(issues); i < n; ++i) {
    const std::string_view severity = fhir::json::StringAt(fhir::json::At(issues, i), "severity");
    if (severity == "error" || severity == "fatal") return true;
  }
  return false;
}

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
  const std::size_t first = out.size();
  for (std::size_t i = 0, n = bundle.entry_count(); i < n; ++i) {
    const fhir::Resource entry = bundle.entry(i);
    const std::string_view entry_type = entry.resource_type();
    if (entry_type == "OperationOutcome" && IsFailure(entry)) {
      out.resize(first);  // the search failed: what came with it is not the patient's whole record
      return Outcome::kFailedFetch;
    }
    if (entry_type != spec.resource_type) continue;  // search outcomes, _include'd resources
    if (spec.single_resource && out.size() > first) continue;
    out.push_back(entry);
  }
  return Outcome::kData;
}

}  // namespace

fhir::Result<PrefetchReport> ResolvePrefetch(const HookRequest& request, cards::DataNeeds needs,
                                             cards::Record& record) {
  PrefetchReport report;
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

  for (const DataSpec& spec : cards::DataSpecs()) {
    if (!cards::Needs(needs, spec.kind)) continue;
    auto outcome = ReadKey(request.prefetch, spec, record.of(spec.kind));
    if (!outcome) return outcome.error();
    if (*outcome == Outcome::kData) continue;
    record.unavailable |= cards::Need(spec.kind);
    if (!report.missing.empty()) report.missing += ", ";
    report.missing.append("\"")
        .append(spec.prefetch_key)
        .append(*outcome == Outcome::kMissing ? "\" (absent)" : "\" (OperationOutcome: the EHR's fetch failed)");
  }
  return report;
}

}  // namespace cds::hooks
