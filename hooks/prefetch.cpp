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

// Reads one value (a prefetch key's, or a page fhirServer answered) into `out`, or says why it cannot.
// `path` names it in an error ("prefetch.conditions").
fhir::Result<Outcome> ReadValue(const fhir::JsonNode* value, const DataSpec& spec, const std::string& path,
                                std::vector<fhir::Resource>& out) {
  if (fhir::json::IsNull(value)) return Outcome::kData;  // fetched: nothing there
  if (!fhir::json::IsObject(value))
    return fhir::MakeError(ErrorKind::kBadRequest, "\"" + path + "\" must be a FHIR resource or null", path);

  const fhir::Resource resource(value);
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

const fhir::JsonNode* PrefetchValue(const rapidjson::Value* prefetch, std::string_view key) {
  if (prefetch == nullptr) return nullptr;
  auto it = prefetch->FindMember(rapidjson::StringRef(key.data(), key.size()));
  return it == prefetch->MemberEnd() ? nullptr : fhir::Node(it->value);
}

// RFC 3986 unreserved characters stay; everything else is %XX, so a token cannot change the query's shape.
void AppendEncoded(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
}

// A template's own text, with what RFC 3986 does not allow in a URL percent-encoded ("code=http://loinc.org|39156-5"
// sends its '|' as %7C, as FHIR servers expect).
void AppendLiteral(std::string& out, std::string_view text) {
  static constexpr std::string_view kAllowed = "-._~:/?#[]@!$&'()*+,;=%";
  for (char c : text) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       kAllowed.find(c) != std::string_view::npos;
    if (plain) {
      out += c;
    } else {
      AppendEncoded(out, std::string_view(&c, 1));
    }
  }
}

// The value of one token, or an error naming it.
fhir::Result<std::string> TokenValue(std::string_view token, const HookRequest& r) {
  auto missing = [&](const std::string& why) {
    return fhir::MakeError(ErrorKind::kBadRequest, "Prefetch token {{" + std::string(token) + "}}: " + why);
  };
  constexpr std::string_view kContext = "context.";
  if (token.rfind(kContext, 0) == 0) {
    const std::string_view name = token.substr(kContext.size());
    // The ids this service normalised ("Patient/123" sent as context.patientId is the id "123").
    if (name == "patientId") return std::string(r.patient_id);
    if (name == "encounterId") {
      if (r.encounter_id.empty()) return missing("the request has no context.encounterId");
      return std::string(r.encounter_id);
    }
    const fhir::JsonNode* v = r.context == nullptr ? nullptr : fhir::json::Member(fhir::Node(*r.context), name);
    if (v == nullptr || fhir::json::IsNull(v)) return missing("the request has no context." + std::string(name));
    const rapidjson::Value& value = fhir::Value(v);
    if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
    if (value.IsBool()) return std::string(value.GetBool() ? "true" : "false");
    if (value.IsInt64()) return std::to_string(value.GetInt64());
    return missing("context." + std::string(name) + " is not a primitive value (§prefetch tokens: root primitives only)");
  }
  static constexpr std::pair<std::string_view, std::string_view> kUserTokens[] = {
      {"userPractitionerId", "Practitioner/"},
      {"userPractitionerRoleId", "PractitionerRole/"},
      {"userPatientId", "Patient/"},
      {"userRelatedPersonId", "RelatedPerson/"},
  };
  for (const auto& [name, prefix] : kUserTokens) {
    if (token != name) continue;
    if (r.user_id.rfind(prefix, 0) != 0) {
      return missing("context.userId is not a " + std::string(prefix.substr(0, prefix.size() - 1)));
    }
    return std::string(r.user_id.substr(prefix.size()));
  }
  return missing("not a CDS Hooks prefetch token");
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
    const fhir::JsonNode* value = PrefetchValue(request.prefetch, spec.prefetch_key);
    auto outcome = value == nullptr ? fhir::Result<Outcome>(Outcome::kMissing)
                                    : ReadValue(value, spec, "prefetch." + std::string(spec.prefetch_key),
                                                record.of(spec.kind));
    if (!outcome) return outcome.error();
    if (*outcome == Outcome::kData) continue;
    record.unavailable |= cards::Need(spec.kind);
    report.why[static_cast<std::size_t>(spec.kind)] =
        *outcome == Outcome::kMissing ? "absent" : "OperationOutcome: the EHR's fetch failed";
  }
  return report;
}

std::string PrefetchReport::Missing(cards::DataNeeds unavailable) const {
  std::string out;
  for (const DataSpec& spec : cards::DataSpecs()) {
    if (!cards::Needs(unavailable, spec.kind)) continue;
    if (!out.empty()) out += ", ";
    out.append("\"").append(spec.prefetch_key).append("\" (").append(why[static_cast<std::size_t>(spec.kind)]).append(")");
  }
  return out;
}

fhir::Result<std::string> RenderPrefetchTemplate(std::string_view tmpl, const HookRequest& request) {
  std::string out;
  std::size_t pos = 0;
  while (pos < tmpl.size()) {
    const std::size_t open = tmpl.find("{{", pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = tmpl.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return fhir::MakeError(ErrorKind::kBadRequest, "Prefetch template with an unclosed {{: " + std::string(tmpl));
    }
    AppendLiteral(out, tmpl.substr(pos, open - pos));
    auto value = TokenValue(tmpl.substr(open + 2, close - open - 2), request);
    if (!value) return value.error();
    AppendEncoded(out, *value);
    pos = close + 2;
  }
  AppendLiteral(out, tmpl.substr(pos));
  return out;
}

std::string ApplyFetched(const DataSpec& spec, const fhir::FhirFetched& fetched, cards::Record& record,
                         const char** reason) {
  auto because = [reason](const char* word) {
    if (reason != nullptr) *reason = word;
  };
  because("");
  if (!fetched.problem.empty()) {
    because(*fetched.reason != '\0' ? fetched.reason : "other");
    return fetched.problem;
  }
  std::vector<fhir::Resource> resources;
  for (std::size_t i = 0; i < fetched.pages.size(); ++i) {
    auto outcome = ReadValue(fetched.pages[i].root(), spec, "the answer", resources);
    if (!outcome) {
      because("wrong_resource");
      return "not a " + std::string(spec.resource_type) + " answer: " + outcome.error().message;
    }
    if (*outcome == Outcome::kFailedFetch) {
      because("search_failed");
      return "the search failed (an OperationOutcome entry of severity error)";
    }
  }
  auto& out = record.of(spec.kind);
  out.insert(out.end(), resources.begin(), resources.end());
  return {};
}

}  // namespace cds::hooks
