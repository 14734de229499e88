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
  const rapidjson::Value* draft_orders = nullptr;  // a Bundle (order hooks)
  const rapidjson::Value* prefetch = nullptr;      // an object, or nullptr when absent
};

fhir::Result<HookRequest> ParseHookRequest(const rapidjson::Value& root, cards::Hook expected);

// FHIR id syntax: 1–64 of [A-Za-z0-9.-].
bool IsFhirId(std::string_view s);

}  // namespace cds::hooks
