// What the in-process benchmarks share: the benchmark requests (bench/requests/*.json), the shipped rule
// engine, the server's response options, and the whole pipeline as the server runs it for one request.
#pragma once

#include <benchmark/benchmark.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "cards/engine.h"
#include "hooks/service_call.h"

namespace cds::bench {

inline std::string ReadRequest(const std::string& name) {
  std::ifstream in(std::string(ACHILLES_SOURCE_DIR) + "/bench/requests/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline const cards::Engine& Engine() {
  static const std::shared_ptr<const cards::Engine> engine =
      cards::Engine::Load(std::string(ACHILLES_SOURCE_DIR) + "/config");
  return *engine;
}

// As the server answers: rule pages linked under a base URL, the generic EHR profile.
inline const hooks::ResponseOptions& Options() {
  static const hooks::EhrProfile profile =
      hooks::EhrProfile::Load(std::string(ACHILLES_SOURCE_DIR) + "/config/ehr-profiles/generic.json");
  static const hooks::ResponseOptions options{"http://localhost:8080", &profile};
  return options;
}

// parse → validate → prefetch → facts → rules → response JSON for `file` posted to `service`.
inline void Pipeline(benchmark::State& state, const char* file, const char* service) {
  const std::string request = ReadRequest(file);
  const fhir::Date today = fhir::Date::FromYmd(2026, 11, 28);
  std::string body, out;
  body.reserve(request.size() + 1);
  out.reserve(16384);
  for (auto _ : state) {
    body.assign(request);  // the server parses each body in place, so each iteration gets a fresh copy
    auto ok = hooks::HandleServiceCall(Engine(), service, body, today, Options(), out);
    if (!ok || out.size() < 20) state.SkipWithError("the request was refused or produced no cards");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * request.size()));
  state.counters["response_bytes"] = static_cast<double>(out.size());
}

}  // namespace cds::bench
