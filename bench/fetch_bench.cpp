// The FHIR fallback fetch: a patient-view call (bench/requests/patient-view.json) whose prefetch is missing
// is completed from a real FHIR server (Medplum's in tests/fhir-server, loaded with the request's record).
// The service asks for every missing key at once, so fetching all of them should take about as long as the
// slowest single one, not their sum. Printed, for the service in process on loopback (median of N calls):
//   - baseline: the call with its whole prefetch (no fetch at all);
//   - each key missing alone (one query);
//   - every key missing (all queries), against the slowest single and the sum of the singles.
// Twice: as the local server answers (~1 ms a query, one Node thread, so queries cannot overlap much on its
// side), and with 40 ms added to every answer, as an EHR's FHIR server across a network takes.
//   fetch_bench [CALLS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_requests.h"
#include "tests/support/fetch_requests.h"
#include "tests/support/fhir_server.h"
#include "tests/support/http_client.h"
#include "tests/support/test_server.h"

namespace {

using namespace cds;
using Clock = std::chrono::steady_clock;
constexpr char kService[] = "/cds-services/achilles-patient-view";

double MedianMs(uint16_t port, const std::string& body, int calls, std::string& problem) {
  std::vector<double> ms;
  for (int i = 0; i < calls; ++i) {
    const auto start = Clock::now();
    const test::HttpResult r = test::Post(port, kService, body);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (r.status != 200 || r.body.find("\"code\":\"eccentricRehab\"") == std::string::npos) {
      problem = "status " + std::to_string(r.status) + ": " + r.body.substr(0, 300);
    }
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

std::vector<std::string> PrefetchKeys(const std::string& body) {
  std::vector<std::string> keys;
  rapidjson::Document d = test::Json(body);
  for (auto& m : d["prefetch"].GetObject()) keys.emplace_back(m.name.GetString());
  return keys;
}

}  // namespace

int main(int argc, char** argv) {
  const int calls = argc > 1 ? std::max(1, std::atoi(argv[1])) : 21;
  const std::string body = bench::ReadRequest("patient-view.json");
  test::FhirTestServer fhir;
  std::size_t resources = 0;
  fhir.Load(test::PrefetchedResources(body, resources));
  hooks::ServerSettings settings = test::TestSettings();
  settings.fhir_fetch.allow_plain_http = true;  // loopback
  settings.fhir_fetch.deadline = std::chrono::milliseconds(10'000);  // measured, not cut off
  test::TestServer server(settings);
  const std::vector<std::string> keys = PrefetchKeys(body);
  std::printf("fetch from fhirServer: %s, %zu resources on a local Medplum FHIR server, %zu prefetch keys; "
              "median of %d calls each\n", "patient-view.json", resources, keys.size(), calls);

  for (const int latency : {0, 40}) {
    fhir.Clear();
    fhir.Load(test::PrefetchedResources(body, resources));
    if (latency > 0) fhir.Fault(R"({"prefix":"/","delayMs":)" + std::to_string(latency) + "}");
    std::string problem;
    const double baseline = MedianMs(server.port(), body, calls, problem);
    std::printf("\n%s\n", latency == 0 ? "as the local server answers:" : "with 40 ms added to every FHIR answer:");
    std::printf("  %-40s %8.2f ms\n", "baseline: whole prefetch, nothing fetched", baseline);
    double slowest = 0, sum = 0;
    for (const std::string& key : keys) {
      const double ms = MedianMs(server.port(), test::WithoutPrefetch(body, fhir.base(), "", {key}), calls, problem);
      std::printf("  %-40s %8.2f ms   (+%.2f ms over the baseline)\n", ("only \"" + key + "\" fetched").c_str(), ms,
                  ms - baseline);
      slowest = std::max(slowest, ms - baseline);
      sum += ms - baseline;
    }
    const double all = MedianMs(server.port(), test::WithoutPrefetch(body, fhir.base()), calls, problem) - baseline;
    std::printf("  every key fetched: +%.2f ms; slowest single +%.2f ms, sum of singles +%.2f ms\n", all, slowest, sum);
    std::printf("  ratio: all / slowest single %.2fx, all / sum of singles %.2fx\n", all / slowest, all / sum);
    if (!problem.empty()) std::printf("  PROBLEM: a call did not give the expected card: %s\n", problem.c_str());
  }
  return 0;
}
