// parse → validate → prefetch → facts → rules → response JSON, in process, for the benchmark requests
// (bench/requests/*.json). The baseline in the same run is a bare RapidJSON in-situ parse of the same
// bytes, so the figures read as "the whole pipeline costs N parses".
#include <benchmark/benchmark.h>

#include <string>

#include "bench/bench_requests.h"
#include "fhir/json_document.h"

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

}  // namespace

BENCHMARK_MAIN();
