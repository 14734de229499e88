// Metrics on prometheus-cpp's core registry. Each family's series are created on first use and cached by
// a key built in a per-thread buffer, so a request costs a shared-lock lookup and an atomic add; the card
// log's figures are read from the recorder when scraped.
#include "hooks/metrics.h"

#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "audit/recorder.h"
#include "audit/snooze.h"

#ifndef ACHILLES_VERSION
#define ACHILLES_VERSION "unknown"
#endif

namespace cds::hooks {
namespace {

// The series of one family, by key (the label values joined). Created once, then only read.
template <class T>
class Series {
 public:
  explicit Series(prometheus::Family<T>& family) : family_(family) {}

  template <class MakeLabels, class... Extra>
  T& Get(const std::string& key, MakeLabels labels, const Extra&... extra) {
    {
      std::shared_lock<std::shared_mutex> lock(mu_);
      if (auto it = map_.find(key); it != map_.end()) return *it->second;
    }
    std::unique_lock<std::shared_mutex> lock(mu_);
    auto [it, inserted] = map_.try_emplace(key, nullptr);
    if (inserted) it->second = &family_.Add(labels(), extra...);
    return *it->second;
  }

 private:
  prometheus::Family<T>& family_;
  std::shared_mutex mu_;
  std::unordered_map<std::string, T*> map_;
};

// The lookup key in a buffer each thread reuses: no allocation once it has grown.
template <class... Parts>
const std::string& Key(const Parts&... parts) {
  thread_local std::string key;
  key.clear();
  ((key.append(parts).push_back('\x1f')), ...);
  return key;
}

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  // Seconds: a call answered from its prefetch takes well under a millisecond here; one that fetches waits
  // for the FHIR server (deadline 2 s by default).
  static const prometheus::Histogram::BucketBoundaries b = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                            0.05,   0.1,   0.25,   0.5,   1,    2.5, 5};
  return b;
}

}  // namespace

std::string_view HandlerName(Handler h) {
  switch (h) {
    case Handler::kOther: return "other";
    case Handler::kDiscovery: return "discovery";
    case Handler::kService: return "service";
    case Handler::kFeedback: return "feedback";
    case Handler::kRulePage: return "rule_page";
    case Handler::kHealth: return "healthz";
    case Handler::kReady: return "readyz";
    case Handler::kMetrics: return "metrics";
    case Handler::kAudit: return "audit_report";
    case Handler::kPreflight: return "preflight";
  }
  return "other";
}

struct Metrics::Impl {
  prometheus::Registry registry;
  prometheus::Family<prometheus::Counter>& requests_family =
      prometheus::BuildCounter()
          .Name("achilles_http_requests_total")
          .Help("HTTP requests answered, by handler, CDS service (empty when none) and status code")
          .Register(registry);
  prometheus::Family<prometheus::Histogram>& latency_family =
      prometheus::BuildHistogram()
          .Name("achilles_http_request_duration_seconds")
          .Help("Time from a request's first byte to its answer, by handler and CDS service")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& cards_family =
      prometheus::BuildCounter()
          .Name("achilles_cards_total")
          .Help("Cards the rules produced and the service showed, by service, rule and indicator")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& snoozed_family =
      prometheus::BuildCounter()
          .Name("achilles_cards_snoozed_total")
          .Help("Cards withheld because the clinician already answered them (snoozed), by service and rule")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& prefetch_family =
      prometheus::BuildCounter()
          .Name("achilles_prefetch_fetch_total")
          .Help("Prefetch keys asked of fhirServer because the EHR's prefetch lacked them, by key and result "
                "(fetched, or why not)")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& auth_family =
      prometheus::BuildCounter()
          .Name("achilles_auth_rejections_total")
          .Help("Calls refused 401 because their JWT failed a check, by the check that failed")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& reload_family =
      prometheus::BuildCounter()
          .Name("achilles_config_reloads_total")
          .Help("Configuration reloads (SIGHUP), by result; a failed one keeps the running configuration")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& build_family =
      prometheus::BuildGauge()
          .Name("achilles_build_info")
          .Help("Always 1; the labels say which build is running")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& queue_family =
      prometheus::BuildGauge()
          .Name("achilles_card_log_queue_depth")
          .Help("Card-log events waiting for the writer")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& store_up_family =
      prometheus::BuildGauge()
          .Name("achilles_card_log_store_up")
          .Help("1 when the card log's last operation on its store succeeded, else 0")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& written_family =
      prometheus::BuildCounter()
          .Name("achilles_card_log_written_total")
          .Help("Card-log events (cards and feedback items) committed to the store")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& dropped_family =
      prometheus::BuildCounter()
          .Name("achilles_card_log_dropped_total")
          .Help("Card records dropped because the card log's queue was full (the card was still shown)")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& refused_family =
      prometheus::BuildCounter()
          .Name("achilles_feedback_refused_total")
          .Help("Feedback items refused 503 because the card log's queue was full (the EHR retries them)")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& unwritten_family =
      prometheus::BuildCounter()
          .Name("achilles_card_log_answered_unwritten_total")
          .Help("Answers sent before their cards were committed (durableWaitMs passed, or the store failed); "
                "the cards stay queued and are written later")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& recovered_family =
      prometheus::BuildCounter()
          .Name("achilles_card_log_recovered_total")
          .Help("Cards a killed process left in its card journal, written by this one at start")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& unjournaled_family =
      prometheus::BuildCounter()
          .Name("achilles_card_log_unjournaled_total")
          .Help("Cards that found the card journal full: their answers waited for the commit instead")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& snooze_family =
      prometheus::BuildGauge()
          .Name("achilles_snooze_responses")
          .Help("Clinicians' latest responses held in memory for snoozing: one per rule, patient and trigger, "
                "over the longest snooze window")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& store_errors_family =
      prometheus::BuildCounter()
          .Name("achilles_card_log_store_errors_total")
          .Help("Card-log transactions that failed (and were retried)")
          .Register(registry);

  Series<prometheus::Counter> requests{requests_family};
  Series<prometheus::Histogram> latency{latency_family};
  Series<prometheus::Counter> cards{cards_family};
  Series<prometheus::Counter> snoozed{snoozed_family};
  Series<prometheus::Counter> prefetch{prefetch_family};
  Series<prometheus::Counter> auth{auth_family};
  Series<prometheus::Counter> reloads{reload_family};

  // The card log, read when scraped: counters advance by what the recorder counted since the last scrape.
  std::mutex render_mu;
  const audit::Recorder* recorder = nullptr;
  prometheus::Gauge* queue = nullptr;
  prometheus::Gauge* store_up = nullptr;
  prometheus::Counter* written = nullptr;
  prometheus::Counter* dropped = nullptr;
  prometheus::Counter* refused = nullptr;
  prometheus::Counter* store_errors = nullptr;
  prometheus::Counter* unwritten = nullptr;
  prometheus::Counter* recovered = nullptr;
  prometheus::Counter* unjournaled = nullptr;
  audit::Recorder::Stats last;
  const audit::ResponseIndex* responses = nullptr;
  prometheus::Gauge* snooze_responses = nullptr;
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {
  impl_->build_family.Add({{"version", ACHILLES_VERSION}, {"compiler", __VERSION__}}).Set(1);
  for (const char* result : {"ok", "failed"}) impl_->reload_family.Add({{"result", result}});
}
Metrics::~Metrics() = default;

void Metrics::Request(Handler handler, std::string_view service, int status, std::chrono::microseconds took) {
  const std::string_view name = HandlerName(handler);
  char code[8];
  const int n = std::snprintf(code, sizeof code, "%d", status);
  const std::string_view status_text(code, n > 0 ? static_cast<std::size_t>(n) : 0);
  impl_->requests
      .Get(Key(name, service, status_text),
           [&] {
             return prometheus::Labels{
                 {"handler", std::string(name)}, {"service", std::string(service)}, {"status", std::string(status_text)}};
           })
      .Increment();
  impl_->latency
      .Get(Key(name, service),
           [&] { return prometheus::Labels{{"handler", std::string(name)}, {"service", std::string(service)}}; },
           LatencyBuckets())
      .Observe(std::chrono::duration<double>(took).count());
}

void Metrics::Card(std::string_view service, std::string_view rule, std::string_view indicator, bool withheld) {
  if (withheld) {
    impl_->snoozed
        .Get(Key(service, rule),
             [&] { return prometheus::Labels{{"service", std::string(service)}, {"rule", std::string(rule)}}; })
        .Increment();
    return;
  }
  impl_->cards
      .Get(Key(service, rule, indicator),
           [&] {
             return prometheus::Labels{
                 {"service", std::string(service)}, {"rule", std::string(rule)}, {"indicator", std::string(indicator)}};
           })
      .Increment();
}

void Metrics::PrefetchKey(std::string_view key, std::string_view reason) {
  const std::string_view result = reason.empty() ? std::string_view("fetched") : reason;
  impl_->prefetch
      .Get(Key(key, result), [&] { return prometheus::Labels{{"key", std::string(key)}, {"result", std::string(result)}}; })
      .Increment();
}

void Metrics::AuthRejected(std::string_view reason) {
  impl_->auth.Get(Key(reason), [&] { return prometheus::Labels{{"reason", std::string(reason)}}; }).Increment();
}

void Metrics::Reload(bool ok) {
  const std::string_view result = ok ? "ok" : "failed";
  impl_->reloads.Get(Key(result), [&] { return prometheus::Labels{{"result", std::string(result)}}; }).Increment();
}

void Metrics::WatchCardLog(const audit::Recorder* recorder) {
  std::lock_guard<std::mutex> lock(impl_->render_mu);
  impl_->recorder = recorder;
  if (recorder == nullptr || impl_->queue != nullptr) return;
  impl_->queue = &impl_->queue_family.Add({});
  impl_->store_up = &impl_->store_up_family.Add({});
  impl_->written = &impl_->written_family.Add({});
  impl_->dropped = &impl_->dropped_family.Add({});
  impl_->refused = &impl_->refused_family.Add({});
  impl_->store_errors = &impl_->store_errors_family.Add({});
  impl_->unwritten = &impl_->unwritten_family.Add({});
  impl_->recovered = &impl_->recovered_family.Add({});
  impl_->unjournaled = &impl_->unjournaled_family.Add({});
}

void Metrics::WatchSnoozes(const audit::ResponseIndex* responses) {
  std::lock_guard<std::mutex> lock(impl_->render_mu);
  impl_->responses = responses;
  if (responses != nullptr && impl_->snooze_responses == nullptr) impl_->snooze_responses = &impl_->snooze_family.Add({});
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(impl_->render_mu);
  if (impl_->responses != nullptr) impl_->snooze_responses->Set(static_cast<double>(impl_->responses->size()));
  if (const audit::Recorder* r = impl_->recorder) {
    const audit::Recorder::Stats now = r->stats();
    audit::Recorder::Stats& last = impl_->last;
    impl_->queue->Set(static_cast<double>(now.queued));
    impl_->store_up->Set(now.store_ok ? 1 : 0);
    impl_->written->Increment(static_cast<double>(now.written - last.written));
    impl_->dropped->Increment(static_cast<double>(now.dropped - last.dropped));
    impl_->refused->Increment(static_cast<double>(now.refused - last.refused));
    impl_->store_errors->Increment(static_cast<double>(now.store_errors - last.store_errors));
    impl_->unwritten->Increment(static_cast<double>(now.answered_unwritten - last.answered_unwritten));
    impl_->recovered->Increment(static_cast<double>(now.recovered - last.recovered));
    impl_->unjournaled->Increment(static_cast<double>(now.unjournaled - last.unjournaled));
    last = now;
  }
  return prometheus::TextSerializer().Serialize(impl_->registry.Collect());
}

}  // namespace cds::hooks
