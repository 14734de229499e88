// libFuzzer target: a CDS Hooks request body as the server reads it — the JSON parse with its input checks
// (UTF-8, surrogates, duplicate members, depth), then ParseHookRequest for each hook.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fhir/json_document.h"
#include "hooks/hook_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  for (cds::cards::Hook hook : {cds::cards::Hook::kPatientView, cds::cards::Hook::kOrderSelect, cds::cards::Hook::kOrderSign}) {
    std::string body(reinterpret_cast<const char*>(data), size);
    rapidjson::Document doc;
    if (!cds::fhir::ParseInsitu(body, doc).ok()) return 0;
    (void)cds::hooks::ParseHookRequest(doc, hook);
  }
  return 0;
}
