// libFuzzer target: a whole service call in process, for each of the three services — parse, validate,
// resolve the prefetch, build the facts, run the rules, write the response — with the shipped configuration.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "cards/engine.h"
#include "hooks/ehr_profile.h"
#include "hooks/service_call.h"

namespace {

const cds::cards::Engine& Engine() {
  static const std::shared_ptr<const cds::cards::Engine> engine =
      cds::cards::Engine::Load(std::string(ACHILLES_SOURCE_DIR) + "/config");
  return *engine;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const cds::hooks::EhrProfile profile =
      cds::hooks::EhrProfile::Load(std::string(ACHILLES_SOURCE_DIR) + "/config/ehr-profiles/generic.json");
  const cds::hooks::ResponseOptions options{"https://cds.example.org", &profile};
  const cds::fhir::Date today = cds::fhir::Date::FromYmd(2026, 11, 28);
  for (const char* service : {"achilles-patient-view", "achilles-order-select", "achilles-order-sign"}) {
    std::string body(reinterpret_cast<const char*>(data), size), out;
    (void)cds::hooks::HandleServiceCall(Engine(), service, body, today, options, out);
    std::string again(reinterpret_cast<const char*>(data), size);
    (void)cds::hooks::ExplainServiceCall(Engine(), service, again, today);
  }
  return 0;
}
