// The request path (STYLE.md): catalog lookup (404) → parse and validate (400) → prefetch (412) →
// facts → rules → cards (200).
#include "hooks/service_call.h"

#include <chrono>

#include "hooks/card_writer.h"
#include "hooks/hook_request.h"
#include "hooks/log.h"
#include "hooks/prefetch.h"

namespace cds::hooks {
namespace {

// A per-thread arena for the DOM: requests of typical size parse without touching malloc.
using Pool = rapidjson::MemoryPoolAllocator<rapidjson::CrtAllocator>;
using Doc = rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, rapidjson::CrtAllocator>;

// catalog lookup (404) → parse and validate (400) → prefetch (412 only when no rule of the service can run
// without what is missing). The record points into `doc`.
fhir::Result<const cards::Service*> Prepare(const cards::Engine& engine, std::string_view service_id, std::string& body,
                                            fhir::Date today, Doc& doc, cards::Record& record) {
  const cards::Service* service = engine.Find(service_id);
  if (service == nullptr) {
    return fhir::MakeError(fhir::ErrorKind::kUnknownService,
                           "No CDS service \"" + std::string(service_id) + "\"; GET /cds-services lists them");
  }
  auto parsed = fhir::ParseInsitu(body, doc);
  if (!parsed) return parsed.error();
  auto request = ParseHookRequest(doc, service->definition->hook);
  if (!request) return request.error();
  record.today = today;
  auto resolved = ResolvePrefetch(*request, service->needs, record);
  if (!resolved) return resolved.error();
  if (!engine.CanRun(*service, record.unavailable)) {
    // §Prefetch: "If the CDS Service is unable to obtain the required data, it SHALL return 412".
    std::string message = "Required prefetch data unavailable: " + resolved->missing + ". No rule of " +
                          std::string(service_id) + " can run without it. ";
    message += request->fhir_server.empty()
                   ? "The request has no fhirServer to fetch it from; send the prefetch the discovery document lists."
                   : "This service does not query the FHIR server itself yet; send the prefetch the discovery "
                     "document lists.";
    return fhir::MakeError(fhir::ErrorKind::kPrefetchUnavailable, std::move(message), "prefetch");
  }
  return service;
}

thread_local char arena[64 * 1024];

}  // namespace

fhir::Result<bool> HandleServiceCall(const cards::Engine& engine, std::string_view service_id, std::string& body,
                                     fhir::Date today, const ResponseOptions& options, std::string& out) {
  Pool pool(arena, sizeof arena);
  Doc doc(&pool);
  cards::Record record;
  auto service = Prepare(engine, service_id, body, today, doc, record);
  if (!service) return service.error();
  std::size_t other_patient = 0;
  WriteCardsResponse(engine.Evaluate(**service, record, &other_patient), options, out);
  if (other_patient > 0) {
    // A count and the service only: which resources, or whose, never goes into a log line.
    LogInfo("ignored %zu resource(s) about another patient in a call to %.*s", other_patient,
            static_cast<int>(service_id.size()), service_id.data());
  }
  return true;
}

fhir::Result<std::string> ExplainServiceCall(const cards::Engine& engine, std::string_view service_id,
                                             std::string& body, fhir::Date today) {
  Pool pool(arena, sizeof arena);
  Doc doc(&pool);
  cards::Record record;
  auto service = Prepare(engine, service_id, body, today, doc, record);
  if (!service) return service.error();
  const cards::Explanation x = engine.Explain(**service, record);
  std::string out = "Service " + std::string((*service)->definition->id) + " (" +
                    std::string(cards::HookName((*service)->definition->hook)) + ")\n\nFacts:\n";
  for (const std::string& line : x.facts) out += "  " + line + "\n";
  out += "\nRules:\n";
  for (const cards::RuleReport& r : x.rules) {
    out += "  " + std::string(cards::RuleIdName(r.id)) + ": ";
    if (r.card) {
      out += "FIRED, " + std::string(cards::IndicatorName(r.card->indicator)) + " — " + std::string(r.card->summary) +
             "\n";
    } else {
      out += !r.enabled ? "disabled\n" : r.skipped ? "skipped\n" : r.suppressed ? "suppressed\n" : "did not fire\n";
    }
    for (const std::string& why : r.reasons) out += "    - " + why + "\n";
    if (r.card) {
      for (const cards::Evidence& e : r.card->evidence)
        out += "    evidence: " + cards::Reference(e.resource_type, e.resource_id) + " " + cards::Describe(e) + "\n";
      out += "    card detail:\n";
      std::size_t start = 0;
      const std::string& d = r.card->detail;
      while (start < d.size()) {
        std::size_t end = d.find('\n', start);
        if (end == std::string::npos) end = d.size();
        if (end > start) out += "      " + d.substr(start, end - start) + "\n";
        start = end + 1;
      }
      for (const cards::Suggestion& s : r.card->suggestions) out += "    suggestion: " + s.label + "\n";
    }
  }
  return out;
}

fhir::Date TodayUtc() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return fhir::Date{static_cast<int32_t>(std::chrono::duration_cast<std::chrono::hours>(now).count() / 24)};
}

}  // namespace cds::hooks
