// Prefetch resolution. Bundles of type searchset or collection are read entry by entry; entries of other
// resource types (an OperationOutcome with search.mode "outcome", _include'd resources) are skipped.
#include "hooks/prefetch.h"

#include <string>

namespace cds::hooks {
namespace {

using cards::DataKind;
using cards::DataSpec;
using fhir::ErrorKind;

std::string_view View(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

std::string_view TypeOf(const rapidjson::Value& v) {
  auto it = v.FindMember("resourceType");
  return it != v.MemberEnd() && it->value.IsString() ? View(it->value) : std::string_view{};
}

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

  const std::string_view type = TypeOf(*value);
  if (type == "OperationOutcome") return Outcome::kFailedFetch;
  if (type == spec.resource_type) {  // a bare resource: a read, or a client that unwrapped a one-entry search
    out.emplace_back(fhir::Node(*value));
    return Outcome::kData;
  }
  if (type != "Bundle") {
    return fhir::MakeError(ErrorKind::kBadRequest,
                           "\"" + path + "\" must be a Bundle of " + std::string(spec.resource_type) + " (got " +
                               (type.empty() ? std::string("no resourceType") : std::string(type)) + ")",
                           path);
  }
  auto bundle_type = value->FindMember("type");
  if (bundle_type != value->MemberEnd() && bundle_type->value.IsString()) {
    const std::string_view bt = View(bundle_type->value);
    if (bt != "searchset" && bt != "collection") {
      return fhir::MakeError(ErrorKind::kBadRequest, "\"" + path + ".type\" must be \"searchset\" or \"collection\"",
                             path + ".type");
    }
  }
  auto entries = value->FindMember("entry");
  if (entries == value->MemberEnd()) return Outcome::kData;
  if (!entries->value.IsArray())
    return fhir::MakeError(ErrorKind::kBadRequest, "\"" + path + ".entry\" must be an array", path + ".entry");
  for (const rapidjson::Value& e : entries->value.GetArray()) {
    if (!e.IsObject()) continue;
    auto res = e.FindMember("resource");
    if (res == e.MemberEnd() || !res->value.IsObject() || TypeOf(res->value) != spec.resource_type) continue;
    out.emplace_back(fhir::Node(res->value));
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
    auto entries = request.draft_orders->FindMember("entry");
    if (entries != request.draft_orders->MemberEnd()) {
      record.draft_orders.reserve(entries->value.Size());
      for (const rapidjson::Value& e : entries->value.GetArray())
        record.draft_orders.emplace_back(fhir::Node(e["resource"]));
    }
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
