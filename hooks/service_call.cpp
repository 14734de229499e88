// The request path (STYLE.md): catalog lookup (404) → parse and validate (400) → prefetch, fetched from
// fhirServer when it lacks data (412 only when no rule can run without what is still missing) → facts →
// rules → cards (200).
#include "hooks/service_call.h"

#include <chrono>
#include <cstring>
#include <optional>

#include "hooks/audit_log.h"
#include "hooks/card_writer.h"
#include "hooks/hook_request.h"
#include "hooks/log.h"
#include "hooks/metrics.h"
#include "hooks/prefetch.h"

namespace cds::hooks {
namespace {

// A per-thread arena for the DOM: requests of typical size parse without touching malloc.
using Pool = rapidjson::MemoryPoolAllocator<rapidjson::CrtAllocator>;
using Doc = rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, rapidjson::CrtAllocator>;

thread_local char arena[64 * 1024];

struct Prepared {
  const cards::Service* service = nullptr;
  HookRequest request;
  PrefetchReport report;
};

// catalog lookup (404) → parse and validate (400) → what the prefetch holds. The record points into `doc`.
fhir::Result<Prepared> Prepare(const cards::Engine& engine, std::string_view service_id, std::string& body,
                               fhir::Date today, Doc& doc, cards::Record& record) {
  Prepared p;
  p.service = engine.Find(service_id);
  if (p.service == nullptr) {
    return fhir::MakeError(fhir::ErrorKind::kUnknownService,
                           "No CDS service \"" + std::string(service_id) + "\"; GET /cds-services lists them");
  }
  auto parsed = fhir::ParseInsitu(body, doc);
  if (!parsed) return parsed.error();
  auto request = ParseHookRequest(doc, p.service->definition->hook);
  if (!request) return request.error();
  p.request = std::move(*request);
  record.today = today;
  auto resolved = ResolvePrefetch(p.request, p.service->needs, record);
  if (!resolved) return resolved.error();
  p.report = std::move(*resolved);
  return p;
}

// §Prefetch: "If the CDS Service is unable to obtain the required data, it SHALL return 412".
std::optional<fhir::Error> Unobtainable(const cards::Engine& engine, const Prepared& p, const cards::Record& record,
                                        std::string_view service_id, bool fetched) {
  if (engine.CanRun(*p.service, record.unavailable)) return std::nullopt;
  std::string message = "Required prefetch data unavailable: " + p.report.Missing(record.unavailable & p.service->needs) +
                        ". No rule of " + std::string(service_id) + " can run without it. ";
  if (p.request.fhir_server.empty()) {
    message += "The request has no fhirServer to fetch it from; send the prefetch the discovery document lists.";
  } else if (!fetched) {
    message += "This service is not set up to query fhirServer; send the prefetch the discovery document lists.";
  } else {
    message += "It could not be fetched from fhirServer either.";
  }
  return fhir::MakeError(fhir::ErrorKind::kPrefetchUnavailable, std::move(message), "prefetch");
}

void LogOtherPatient(std::size_t other_patient, std::string_view service_id) {
  if (other_patient == 0) return;
  // A count and the service only: which resources, or whose, never goes into a log line.
  LogInfo("ignored %zu resource(s) about another patient in a call to %.*s", other_patient,
          static_cast<int>(service_id.size()), service_id.data());
}

std::string ExplainReport(const cards::Engine& engine, const cards::Service& service, const cards::Record& record,
                          const HookRequest& request, const AuditLog* audit) {
  const cards::Explanation x = engine.Explain(service, record);
  std::string out = "Service " + std::string(service.definition->id) + " (" +
                    std::string(cards::HookName(service.definition->hook)) + ")\n\nFacts:\n";
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
    if (r.card && audit != nullptr) {
      if (auto snooze = audit->SnoozeOf(request, *r.card)) out += "    " + DescribeSnooze(*snooze, *r.card) + "\n";
    }
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

}  // namespace

bool FhirServerAllowed(std::string_view server, const std::vector<std::string>& allowed) {
  if (allowed.empty()) return true;
  while (server.size() > 8 && server.back() == '/') server.remove_suffix(1);
  for (const std::string& base : allowed) {
    if (server.size() >= base.size() && server.compare(0, base.size(), base) == 0 &&
        (server.size() == base.size() || server[base.size()] == '/')) {
      return true;
    }
  }
  return false;
}

namespace {

// The rules' cards as the response, and — when the deployment keeps a card log — their record; a card the
// clinician already answered (snoozed) is recorded as withheld and left out of the response.
void WriteAnswer(const cards::Engine& engine, const cards::Service& service, const cards::Record& record,
                 const HookRequest& request, std::string_view service_id, const ResponseOptions& options,
                 std::string& out) {
  std::size_t other_patient = 0;
  const std::vector<cards::Card> cards = engine.Evaluate(service, record, &other_patient);
  auto count = [&](const std::vector<std::optional<Snooze>>* snoozed) {
    if (options.metrics == nullptr) return;
    for (std::size_t i = 0; i < cards.size(); ++i) {
      options.metrics->Card(service_id, cards::RuleIdName(cards[i].rule), cards::IndicatorName(cards[i].indicator),
                            snoozed != nullptr && (*snoozed)[i].has_value());
    }
  };
  if (options.audit != nullptr && !cards.empty()) {
    const AuditLog::Call call = options.audit->Screen(request, cards);
    count(&call.snoozed);
    std::vector<IssuedUuids> issued;
    if (call.any_snoozed()) {
      std::vector<cards::Card> shown;
      for (std::size_t i = 0; i < cards.size(); ++i) {
        if (!call.snoozed[i]) shown.push_back(cards[i]);
      }
      WriteCardsResponse(shown, options, out, &issued);
    } else {
      WriteCardsResponse(cards, options, out, &issued);
    }
    const long recorded = options.audit->Record(call, request, service_id, cards, issued);
    if (options.recorded != nullptr) *options.recorded = recorded;
  } else {
    count(nullptr);
    WriteCardsResponse(cards, options, out);
  }
  LogOtherPatient(other_patient, service_id);
}

bool WantsFetch(const Prepared& p, const cards::Record& record, const FetchContext& fetch) {
  return fetch.client != nullptr && !p.request.fhir_server.empty() && (record.unavailable & p.service->needs) != 0;
}

}  // namespace

// What a call waiting for the FHIR server holds: the request body (the DOM's strings point into it), its
// own copy of the DOM, the views rebuilt over that copy, and the pages fetched.
struct PendingCall::State {
  std::shared_ptr<const void> keep_alive;
  const cards::Engine* engine = nullptr;
  std::string service_id;
  bool explain = false;
  std::string rule_page_base;
  const EhrProfile* profile = nullptr;
  AuditLog* audit = nullptr;
  Metrics* metrics = nullptr;
  long recorded = 0;  // the card log's place of the last card the answer recorded
  fhir::FhirClient* client = nullptr;
  fhir::FhirFetchPolicy policy;
  std::vector<std::string> allowed_servers;

  std::string body;
  rapidjson::Document doc;
  Prepared prepared;
  cards::Record record;
  std::vector<cards::DataKind> kinds;     // asked for, in query order
  std::vector<fhir::FhirFetched> fetched;  // the answers, same order
  std::chrono::steady_clock::time_point started;
};

PendingCall::PendingCall(std::unique_ptr<State> state) : state_(std::move(state)) {}
long PendingCall::recorded() const { return state_->recorded; }
PendingCall::~PendingCall() = default;

void PendingCall::Fetch(std::function<void()> resume) {
  State& s = *state_;
  std::vector<fhir::FhirQuery> queries;
  for (const cards::DataSpec& spec : cards::DataSpecs()) {
    if (!cards::Needs(s.prepared.service->needs & s.record.unavailable, spec.kind)) continue;
    auto query = RenderPrefetchTemplate(spec.query_template, s.prepared.request);
    if (!query) {
      s.prepared.report.why[static_cast<std::size_t>(spec.kind)] += "; " + query.error().message;
      continue;
    }
    queries.push_back({std::string(spec.prefetch_key), std::move(*query), spec.single_resource});
    s.kinds.push_back(spec.kind);
  }
  if (queries.empty()) return resume();
  s.started = std::chrono::steady_clock::now();
  if (!FhirServerAllowed(s.prepared.request.fhir_server, s.allowed_servers)) {
    // Neither the server nor the token is contacted: every key is unavailable, saying why.
    s.fetched.resize(queries.size());
    for (fhir::FhirFetched& f : s.fetched) {
      f.problem = "fhirServer is not one of the calling client's fhirServers (not contacted)";
      f.reason = "server_not_allowed";
    }
    return resume();
  }
  const auto& auth = s.prepared.request.fhir_authorization;
  // An open server (the sandbox's open launch sends fhirServer without fhirAuthorization): no token.
  std::string token = auth ? std::string(auth->access_token) : std::string();
  s.client->FetchAll(std::string(s.prepared.request.fhir_server), std::move(token), std::move(queries), s.policy,
                     [self = shared_from_this(), resume = std::move(resume)](std::vector<fhir::FhirFetched> answers) {
                       self->state_->fetched = std::move(answers);
                       resume();
                     });
}

fhir::Result<std::string> PendingCall::Finish() {
  State& s = *state_;
  std::size_t got = 0;
  std::string problems;
  for (std::size_t i = 0; i < s.kinds.size() && i < s.fetched.size(); ++i) {
    const cards::DataSpec& spec = cards::SpecOf(s.kinds[i]);
    const char* reason = "";
    const std::string problem = ApplyFetched(spec, s.fetched[i], s.record, &reason);
    std::string& why = s.prepared.report.why[static_cast<std::size_t>(spec.kind)];
    if (s.metrics != nullptr) s.metrics->PrefetchKey(spec.prefetch_key, reason);
    if (problem.empty()) {
      s.record.unavailable &= ~cards::Need(spec.kind);
      why.clear();
      ++got;
    } else {
      why += "; fhirServer: " + problem;
      problems.append(problems.empty() ? "" : ", ").append(spec.prefetch_key).append(": ").append(problem);
    }
  }
  if (!s.kinds.empty()) {
    const long ms = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now() - s.started)
                                          .count());
    // Keys and reasons only: the reasons name statuses and limits, never content, a token or an id.
    LogInfo("fetched %zu of %zu prefetch key(s) from fhirServer for %s in %ldms%s%s", got, s.kinds.size(),
            s.service_id.c_str(), ms, problems.empty() ? "" : "; not fetched: ", problems.c_str());
  }
  if (auto refused = Unobtainable(*s.engine, s.prepared, s.record, s.service_id, /*fetched=*/true)) return *refused;
  if (s.explain) return ExplainReport(*s.engine, *s.prepared.service, s.record, s.prepared.request, s.audit);
  std::string out;
  WriteAnswer(*s.engine, *s.prepared.service, s.record, s.prepared.request, s.service_id,
              ResponseOptions{s.rule_page_base, s.profile, s.audit, s.metrics, &s.recorded}, out);
  return out;
}

namespace {

// Moves the call into a PendingCall: the body buffer (the DOM's in-situ strings point into it, and a moved
// std::string keeps its heap buffer) and a copy of the DOM out of the thread's arena, then the views again.
fhir::Result<std::shared_ptr<PendingCall>> Defer(const cards::Engine& engine, std::string_view service_id,
                                                 std::string& body, const Doc& doc, fhir::Date today,
                                                 const ResponseOptions& options, const FetchContext& fetch,
                                                 bool explain) {
  auto s = std::make_unique<PendingCall::State>();
  s->keep_alive = fetch.keep_alive;
  s->engine = &engine;
  s->service_id = std::string(service_id);
  s->explain = explain;
  s->rule_page_base = std::string(options.rule_page_base);
  s->profile = options.profile;
  s->audit = options.audit;
  s->metrics = options.metrics;
  s->client = fetch.client;
  s->policy = fetch.policy;
  s->allowed_servers = fetch.allowed_servers;
  const char* buffer = body.data();
  s->body = std::move(body);
  if (s->body.data() != buffer) {
    return fhir::MakeError(fhir::ErrorKind::kInternal, "request buffer moved while deferring a call");
  }
  s->doc.CopyFrom(doc, s->doc.GetAllocator());
  s->prepared.service = engine.Find(service_id);
  auto request = ParseHookRequest(s->doc, s->prepared.service->definition->hook);
  if (!request) return request.error();  // cannot happen: the same DOM passed a moment ago
  s->prepared.request = std::move(*request);
  s->record.today = today;
  auto resolved = ResolvePrefetch(s->prepared.request, s->prepared.service->needs, s->record);
  if (!resolved) return resolved.error();
  s->prepared.report = std::move(*resolved);
  return std::make_shared<PendingCall>(std::move(s));
}

}  // namespace

namespace {

// parse → prefetch → fetch what is missing (the call continues in `*pending`), or 412, or `answer`(the rules).
template <class Answer>
fhir::Result<bool> Run(const cards::Engine& engine, std::string_view service_id, std::string& body, fhir::Date today,
                       const ResponseOptions& options, const FetchContext& fetch, std::shared_ptr<PendingCall>* pending,
                       bool explain, Answer answer) {
  Pool pool(arena, sizeof arena);
  Doc doc(&pool);
  cards::Record record;
  auto prepared = Prepare(engine, service_id, body, today, doc, record);
  if (!prepared) return prepared.error();
  if (pending != nullptr && WantsFetch(*prepared, record, fetch)) {
    auto deferred = Defer(engine, service_id, body, doc, today, options, fetch, explain);
    if (!deferred) return deferred.error();
    *pending = std::move(*deferred);
    return true;
  }
  if (auto refused = Unobtainable(engine, *prepared, record, service_id, false)) return *refused;
  answer(*prepared->service, record, prepared->request);
  return true;
}

}  // namespace

fhir::Result<bool> HandleServiceCall(const cards::Engine& engine, std::string_view service_id, std::string& body,
                                     fhir::Date today, const ResponseOptions& options, std::string& out,
                                     const FetchContext& fetch, std::shared_ptr<PendingCall>* pending) {
  return Run(engine, service_id, body, today, options, fetch, pending, /*explain=*/false,
             [&](const cards::Service& service, const cards::Record& record, const HookRequest& request) {
               WriteAnswer(engine, service, record, request, service_id, options, out);
             });
}

fhir::Result<std::string> ExplainServiceCall(const cards::Engine& engine, std::string_view service_id,
                                             std::string& body, fhir::Date today, const FetchContext& fetch,
                                             std::shared_ptr<PendingCall>* pending, AuditLog* audit) {
  std::string out;
  ResponseOptions options;
  options.audit = audit;
  auto ok = Run(engine, service_id, body, today, options, fetch, pending, /*explain=*/true,
                [&](const cards::Service& service, const cards::Record& record, const HookRequest& request) {
                  out = ExplainReport(engine, service, record, request, audit);
                });
  if (!ok) return ok.error();
  return out;
}

std::shared_ptr<fhir::HttpGetter> MakeHttpGetter(const ServerSettings& settings) {
  fhir::HttpGetter::Options options;
  options.threads = settings.fhir_client_threads;
  options.ca_file = settings.fhir_ca_file;
  return std::make_shared<fhir::HttpGetter>(options);
}

fhir::Date TodayUtc() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return fhir::Date{static_cast<int32_t>(std::chrono::duration_cast<std::chrono::hours>(now).count() / 24)};
}

}  // namespace cds::hooks
