// The request path (STYLE.md): catalog lookup (404) → parse and validate (400) → prefetch (412) →
// facts → rules → cards (200).
#include "hooks/service_call.h"

#include <chrono>

#include "hooks/card_writer.h"
#include "hooks/hook_request.h"
#include "hooks/prefetch.h"

namespace cds::hooks {
namespace {

// A per-thread arena for the DOM: requests of typical size parse without touching malloc.
using Pool = rapidjson::MemoryPoolAllocator<rapidjson::CrtAllocator>;
using Doc = rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, rapidjson::CrtAllocator>;

}  // namespace

fhir::Result<bool> HandleServiceCall(const cards::Engine& engine, std::string_view service_id, std::string& body,
                                     fhir::Date today, std::string& out) {
  const cards::Service* service = engine.Find(service_id);
  if (service == nullptr) {
    return fhir::MakeError(fhir::ErrorKind::kUnknownService,
                           "No CDS service \"" + std::string(service_id) + "\"; GET /cds-services lists them");
  }

  thread_local char arena[64 * 1024];
  Pool pool(arena, sizeof arena);
  Doc doc(&pool);
  auto parsed = fhir::ParseInsitu(body, doc);
  if (!parsed) return parsed.error();

  auto request = ParseHookRequest(doc, service->definition->hook);
  if (!request) return request.error();

  cards::Record record;
  record.today = today;
  auto resolved = ResolvePrefetch(*request, service->needs, record);
  if (!resolved) return resolved.error();

  WriteCardsResponse(engine.Evaluate(*service, record), out);
  return true;
}

fhir::Date TodayUtc() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return fhir::Date{static_cast<int32_t>(std::chrono::duration_cast<std::chrono::hours>(now).count() / 24)};
}

}  // namespace cds::hooks
