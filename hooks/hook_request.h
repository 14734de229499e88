// ParseHookRequest: validates a CDS Hooks 2.0 service call against the hook the service answers and
// exposes it as views into the parsed body. The first problem becomes a kBadRequest error whose message
// and expression name the field ("context.draftOrders", "hookInstance", …). Unknown members and
// `extension` objects are tolerated (spec §extensions).
//
//   rapidjson::Document doc;  ParseInsitu(body, doc);
//   Result<HookRequest> req = ParseHookRequest(doc, Hook::kOrderSign);
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "cards/hook.h"
#include "fhir/json_document.h"
#include "fhir/result.h"

namespace cds::hooks {

struct FhirAuthorization {
  std::string_view access_token;  // never logged, never stored
  std::string_view token_type;
  double expires_in = 0;
  std::string_view scope;
  std::string_view subject;
  std::string_view patient;
};

struct HookRequest {
  cards::Hook hook = cards::Hook::kPatientView;
  std::string_view hook_instance;
  std::string_view fhir_server;
  std::optional<FhirAuthorization> fhir_authorization;
  std::string_view user_id;
  std::string_view patient_id;
  std::string_view encounter_id;
  std::vector<std::string_view> selections;        // order-select
  const rapidjson::Value* context = nullptr;       // the whole context object (prefetch tokens read it)
  const rapidjson::Value* draft_orders = nullptr;  // a Bundle (order hooks)
  const rapidjson::Value* prefetch = nullptr;      // an object, or nullptr when absent
};

fhir::Result<HookRequest> ParseHookRequest(const rapidjson::Value& root, cards::Hook expected);

// Ids as EHRs make them: FHIR's id characters and a few more an EHR's opaque ids use ("_", "~", "+", "=",
// ":"), up to kMaxEhrId characters (Epic's order ids are ~190; FHIR's 64 is too strict for real EHRs), and
// never a path character ('/', '?', '#', '%', space).
inline constexpr std::size_t kMaxEhrId = 512;
bool IsEhrId(std::string_view s);
// An absolute http(s) URL with a host and only URL characters (RFC 3986).
bool IsHttpUrl(std::string_view s);

}  // namespace cds::hooks
