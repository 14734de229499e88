// parse → validate → prefetch → facts → rules → response JSON, in process, for the benchmark requests
// (bench/requests/*.json). The baseline in the same run is a bare RapidJSON in-situ parse of the same
// bytes, so the figures read as "the whole pipeline costs N parses".
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "bench/bench_requests.h"
#include "fhir/json_document.h"
#include "hooks/metrics.h"

namespace {

using cds::bench::Pipeline;
using cds::bench::ReadRequest;

void ParseOnly(benchmark::State& state, const char* file) {
  const std::string request = ReadRequest(file);
  std::string body;
  body.reserve(request.size() + 1);
  for (auto _ : state) {
    body.assign(request);
    rapidjson::Document doc;
    auto ok = cds::fhir::ParseInsitu(body, doc);
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * request.size()));
}

BENCHMARK_CAPTURE(ParseOnly, order_select_baseline, "order-select.json");
BENCHMARK_CAPTURE(Pipeline, order_select, "order-select.json", "achilles-order-select");
BENCHMARK_CAPTURE(ParseOnly, patient_view_baseline, "patient-view.json");
BENCHMARK_CAPTURE(Pipeline, patient_view, "patient-view.json", "achilles-patient-view");

// The same call counted as the server counts it for /metrics (its card by rule, then the request by handler,
// service and status, and its latency): the metrics' share of a call, against Pipeline/patient_view above.
void PipelineCounted(benchmark::State& state, const char* file, const char* service) {
  const std::string request = ReadRequest(file);
  const cds::fhir::Date today = cds::fhir::Date::FromYmd(2026, 11, 28);
  cds::hooks::Metrics metrics;
  cds::hooks::ResponseOptions options = cds::bench::Options();
  options.metrics = &metrics;
  std::string body, out;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    body.assign(request);
    auto ok = cds::hooks::HandleServiceCall(cds::bench::Engine(), service, body, today, options, out);
    if (!ok || out.size() < 20) state.SkipWithError("the request was refused or produced no cards");
    metrics.Request(cds::hooks::Handler::kService, service, 200,
                    std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start));
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK_CAPTURE(PipelineCounted, patient_view_metrics, "patient-view.json", "achilles-patient-view");

}  // namespace

BENCHMARK_MAIN();
