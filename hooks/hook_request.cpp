// Request validation per CDS Hooks 2.0.1 §"Calling a CDS Service" and the hook definitions
// (patient-view 1.0, order-select 1.0, order-sign 1.1).
#include "hooks/hook_request.h"

#include <string>

#include "fhir/bundle.h"
#include "hooks/uuid.h"

namespace cds::hooks {
namespace {

using cards::Hook;
using fhir::ErrorKind;
using fhir::MakeError;

fhir::Error Bad(std::string message, std::string expression) {
  return MakeError(ErrorKind::kBadRequest, std::move(message), std::move(expression));
}

const rapidjson::Value* Find(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string_view View(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

// A required, non-empty string member.
fhir::Result<std::string_view> RequiredString(const rapidjson::Value& obj, const char* key, const std::string& path) {
  const rapidjson::Value* v = Find(obj, key);
  if (v == nullptr || v->IsNull()) return Bad("Missing required field \"" + path + "\"", path);
  if (!v->IsString()) return Bad("\"" + path + "\" must be a string", path);
  if (v->GetStringLength() == 0) return Bad("\"" + path + "\" must not be empty", path);
  return View(*v);
}

// An optional string member: "" when absent.
fhir::Result<std::string_view> OptionalString(const rapidjson::Value& obj, const char* key, const std::string& path) {
  const rapidjson::Value* v = Find(obj, key);
  if (v == nullptr) return std::string_view{};
  if (!v->IsString()) return Bad("\"" + path + "\" must be a string", path);
  return View(*v);
}

// "ResourceType/id": a literal relative reference as the hooks require for userId and selections.
bool IsRelativeReference(std::string_view s) {
  const std::size_t slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  for (std::size_t i = 0; i < slash; ++i) {
    const char c = s[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return s[0] >= 'A' && s[0] <= 'Z' && IsFhirId(s.substr(slash + 1));
}

bool IsHttpUrl(std::string_view s) {
  return (s.rfind("https://", 0) == 0 && s.size() > 8) || (s.rfind("http://", 0) == 0 && s.size() > 7);
}

std::optional<fhir::Error> CheckAuthorization(const rapidjson::Value& root, HookRequest& req) {
  const rapidjson::Value* auth = Find(root, "fhirAuthorization");
  if (auth == nullptr || auth->IsNull()) return std::nullopt;
  if (!auth->IsObject()) return Bad("\"fhirAuthorization\" must be an object", "fhirAuthorization");
  FhirAuthorization a;
  for (auto [key, out] : {std::pair<const char*, std::string_view*>{"access_token", &a.access_token},
                          {"token_type", &a.token_type},
                          {"scope", &a.scope},
                          {"subject", &a.subject}}) {
    auto s = RequiredString(*auth, key, std::string("fhirAuthorization.") + key);
    if (!s) return s.error();
    *out = *s;
  }
  if (a.token_type != "Bearer")
    return Bad("\"fhirAuthorization.token_type\" must be \"Bearer\"", "fhirAuthorization.token_type");
  const rapidjson::Value* expires = Find(*auth, "expires_in");
  if (expires == nullptr)
    return Bad("Missing required field \"fhirAuthorization.expires_in\"", "fhirAuthorization.expires_in");
  if (!expires->IsNumber() || expires->GetDouble() < 0) {
    return Bad("\"fhirAuthorization.expires_in\" must be a non-negative number of seconds",
               "fhirAuthorization.expires_in");
  }
  a.expires_in = expires->GetDouble();
  auto patient = OptionalString(*auth, "patient", "fhirAuthorization.patient");
  if (!patient) return patient.error();
  a.patient = *patient;
  // §fhirAuthorization: a token without a server to use it on is meaningless.
  if (req.fhir_server.empty())
    return Bad("\"fhirServer\" is required when \"fhirAuthorization\" is present", "fhirServer");
  req.fhir_authorization = a;
  return std::nullopt;
}

std::optional<fhir::Error> CheckDraftOrders(const rapidjson::Value& context, HookRequest& req) {
  const rapidjson::Value* orders = Find(context, "draftOrders");
  if (orders == nullptr || orders->IsNull())
    return Bad("Missing required field \"context.draftOrders\"", "context.draftOrders");
  if (!orders->IsObject()) return Bad("\"context.draftOrders\" must be a FHIR Bundle", "context.draftOrders");
  const rapidjson::Value* type = Find(*orders, "resourceType");
  if (type == nullptr || !type->IsString() || View(*type) != "Bundle") {
    return Bad("\"context.draftOrders\" must be a FHIR Bundle (resourceType \"Bundle\")",
               "context.draftOrders.resourceType");
  }
  const fhir::Bundle bundle(fhir::Node(*orders));
  if (!bundle.entries_well_formed())
    return Bad("\"context.draftOrders.entry\" must be an array", "context.draftOrders.entry");
  for (std::size_t i = 0, n = bundle.entry_count(); i < n; ++i) {
    const std::string path = "context.draftOrders.entry[" + std::to_string(i) + "].resource";
    const fhir::Resource resource = bundle.entry(i);
    if (!resource.present()) return Bad("\"" + path + "\" must be a FHIR resource", path);
    if (resource.resource_type().empty()) {
      return Bad("\"" + path + ".resourceType\" must be a non-empty string", path + ".resourceType");
    }
  }
  req.draft_orders = orders;
  return std::nullopt;
}

bool DraftOrdersContain(const rapidjson::Value& orders, std::string_view reference) {
  const fhir::Bundle bundle(fhir::Node(orders));
  for (std::size_t i = 0, n = bundle.entry_count(); i < n; ++i) {
    const fhir::Resource r = bundle.entry(i);
    const std::string_view t = r.resource_type(), id = r.id();
    if (!id.empty() && reference.size() == t.size() + 1 + id.size() && reference.substr(0, t.size()) == t &&
        reference[t.size()] == '/' && reference.substr(t.size() + 1) == id) {
      return true;
    }
  }
  return false;
}

std::optional<fhir::Error> CheckSelections(const rapidjson::Value& context, HookRequest& req) {
  const rapidjson::Value* sel = Find(context, "selections");
  if (sel == nullptr || sel->IsNull())
    return Bad("Missing required field \"context.selections\"", "context.selections");
  if (!sel->IsArray())
    return Bad("\"context.selections\" must be an array of references such as \"MedicationRequest/103\"",
               "context.selections");
  req.selections.reserve(sel->Size());
  for (rapidjson::SizeType i = 0; i < sel->Size(); ++i) {
    const std::string path = "context.selections[" + std::to_string(i) + "]";
    const rapidjson::Value& s = (*sel)[i];
    if (!s.IsString() || !IsRelativeReference(View(s))) {
      return Bad("\"" + path + "\" must be a reference such as \"MedicationRequest/103\"", path);
    }
    // order-select: "The selections field references FHIR resources in the draftOrders Bundle."
    if (!DraftOrdersContain(*req.draft_orders, View(s))) {
      return Bad("\"" + path + "\" (" + std::string(View(s)) + ") is not a resource in context.draftOrders", path);
    }
    req.selections.push_back(View(s));
  }
  return std::nullopt;
}

}  // namespace

bool IsFhirId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      return false;
  }
  return true;
}

fhir::Result<HookRequest> ParseHookRequest(const rapidjson::Value& root, Hook expected) {
  if (!root.IsObject()) return Bad("The request body must be a JSON object", "");
  HookRequest req;

  auto hook = RequiredString(root, "hook", "hook");
  if (!hook) return hook.error();
  if (*hook != cards::HookName(expected)) {
    return Bad("This service answers the \"" + std::string(cards::HookName(expected)) + "\" hook, not \"" +
                   std::string(*hook) + "\"",
               "hook");
  }
  req.hook = expected;

  auto instance = RequiredString(root, "hookInstance", "hookInstance");
  if (!instance) return instance.error();
  if (!IsUuid(*instance))
    return Bad("\"hookInstance\" must be a UUID (e.g. d1577c69-dfbe-44ad-ba6d-3e05e953b2ea)", "hookInstance");
  req.hook_instance = *instance;

  auto server = OptionalString(root, "fhirServer", "fhirServer");
  if (!server) return server.error();
  if (!server->empty() && !IsHttpUrl(*server))
    return Bad("\"fhirServer\" must be an absolute http(s) URL", "fhirServer");
  req.fhir_server = *server;
  if (auto err = CheckAuthorization(root, req)) return *err;

  if (const rapidjson::Value* ext = Find(root, "extension"); ext != nullptr && !ext->IsObject()) {
    return Bad("\"extension\" must be a JSON object", "extension");
  }

  const rapidjson::Value* context = Find(root, "context");
  if (context == nullptr || context->IsNull()) return Bad("Missing required field \"context\"", "context");
  if (!context->IsObject()) return Bad("\"context\" must be an object", "context");

  auto user = RequiredString(*context, "userId", "context.userId");
  if (!user) return user.error();
  if (!IsRelativeReference(*user))
    return Bad("\"context.userId\" must be a reference such as \"Practitioner/123\"", "context.userId");
  req.user_id = *user;

  auto patient = RequiredString(*context, "patientId", "context.patientId");
  if (!patient) return patient.error();
  if (!IsFhirId(*patient))
    return Bad("\"context.patientId\" must be a FHIR id (1-64 letters, digits, '-' or '.')", "context.patientId");
  req.patient_id = *patient;

  auto encounter = OptionalString(*context, "encounterId", "context.encounterId");
  if (!encounter) return encounter.error();
  if (!encounter->empty() && !IsFhirId(*encounter)) {
    return Bad("\"context.encounterId\" must be a FHIR id (1-64 letters, digits, '-' or '.')", "context.encounterId");
  }
  req.encounter_id = *encounter;

  if (cards::IsOrderHook(expected)) {
    if (auto err = CheckDraftOrders(*context, req)) return *err;
  }
  if (expected == Hook::kOrderSelect) {
    if (auto err = CheckSelections(*context, req)) return *err;
  }

  const rapidjson::Value* prefetch = Find(root, "prefetch");
  if (prefetch != nullptr && !prefetch->IsNull()) {
    if (!prefetch->IsObject()) return Bad("\"prefetch\" must be an object", "prefetch");
    req.prefetch = prefetch;
  }
  return req;
}

}  // namespace cds::hooks
