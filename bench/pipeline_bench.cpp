// parse → validate → prefetch → facts → rules → response JSON, in process, for the benchmark requests
// (bench/requests/*.json). The baseline in the same run is a bare RapidJSON in-situ parse of the same
// bytes, so the figures read as "the whole pipeline costs N parses".
#include <benchmark/benchmark.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "cards/engine.h"
#include "fhir/json_document.h"
#include "hooks/service_call.h"

namespace {

std::string Read(const std::string& name) {
  std::ifstream in(std::string(ACHILLES_SOURCE_DIR) + "/bench/requests/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const cds::cards::Engine& Engine() {
  static const std::shared_ptr<const cds::cards::Engine> engine =
      cds::cards::Engine::Load(std::string(ACHILLES_SOURCE_DIR) + "/config");
  return *engine;
}

// As the server answers: rule pages linked under a base URL, the generic EHR profile.
const cds::hooks::ResponseOptions& Options() {
  static const cds::hooks::EhrProfile profile =
      cds::hooks::EhrProfile::Load(std::string(ACHILLES_SOURCE_DIR) + "/config/ehr-profiles/generic.json");
  static const cds::hooks::ResponseOptions options{"http://localhost:8080", &profile};
  return options;
}

void Pipeline(benchmark::State& state, const char* file, const char* service) {
  const std::string request = Read(file);
  const cds::fhir::Date today = cds::fhir::Date::FromYmd(2026, 11, 28);
  std::string body, out;
  body.reserve(request.size() + 1);
  out.reserve(16384);
  for (auto _ : state) {
    body.assign(request);  // the server parses each body in place, so each iteration gets a fresh copy
    auto ok = cds::hooks::HandleServiceCall(Engine(), service, body, today, Options(), out);
    if (!ok || out.size() < 20) state.SkipWithError("the request was refused or produced no cards");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * request.size()));
  state.counters["response_bytes"] = static_cast<double>(out.size());
}

void ParseOnly(benchmark::State& state, const char* file) {
  const std::string request = Read(file);
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
