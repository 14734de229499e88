// What an operator's Prometheus scrapes from GET /metrics (text exposition format 0.0.4, rendered by
// prometheus-cpp's core registry and text serializer): requests by handler, service and status; latency per
// handler and service; cards by rule and indicator, and cards withheld (snoozed); prefetch keys fetched from
// fhirServer or not, by reason; JWT rejections by reason; the card log's queue and what it dropped; the
// responses held for snoozing; config reloads; build info. Every label value comes from a small fixed set
// (handler names, service and rule ids, status codes, reason words this service wrote): never a patient
// identifier, resource content or token. Thread-safe; the request path touches one cached series per
// observation (a shared lock, no allocation).
//
//   Metrics metrics;
//   metrics.Request(Handler::kService, "achilles-order-sign", 200, std::chrono::microseconds(850));
//   std::string text = metrics.Render();
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace cds::audit {
class Recorder;
class ResponseIndex;
}

namespace cds::hooks {

// What a request was for: the router sets it, the HTTP layer reports it.
enum class Handler {
  kOther,  // refused before a route was known (malformed HTTP, too many connections), or no such route
  kDiscovery,
  kService,
  kFeedback,
  kRulePage,
  kHealth,
  kReady,
  kMetrics,
  kAudit,
  kPreflight,
};
std::string_view HandlerName(Handler h);

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // `service`: a CDS service id, or "" for requests that are not a service's.
  void Request(Handler handler, std::string_view service, int status, std::chrono::microseconds took);
  // A card a rule produced: shown, or withheld because the clinician already answered it (snoozed).
  void Card(std::string_view service, std::string_view rule, std::string_view indicator, bool withheld);
  // A prefetch key asked of fhirServer: `reason` "" when it was fetched, else why not (FetchReason words).
  void PrefetchKey(std::string_view key, std::string_view reason);
  // A call refused 401; `reason` one of AuthResult's reason words.
  void AuthRejected(std::string_view reason);
  void Reload(bool ok);
  // The card log whose queue depth, writes, drops and store health /metrics reports (null: audit off).
  // Set before serving; the recorder must outlive every Render().
  void WatchCardLog(const audit::Recorder* recorder);
  // The clinicians' responses held in memory for snoozing, whose count /metrics reports (null: snoozing
  // off). Set before serving; the index must outlive every Render().
  void WatchSnoozes(const audit::ResponseIndex* responses);

  // The text exposition of everything above.
  std::string Render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cds::hooks
