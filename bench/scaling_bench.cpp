// Time per KB of request from 10 KB to the 4 MiB body limit, for the two shapes that once did quadratic
// work: order-select with N draft orders all selected, and patient-view with N active medications. Each size
// is measured against fhir::ParseInsitu of the same bytes (RapidJSON and the input checks) in the same run:
// a flat µs/KB column (and a flat ratio) means linear. Figures only; nothing is asserted.
//   bench/scaling_bench [REPEATS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cards/engine.h"
#include "fhir/json_document.h"
#include "hooks/service_call.h"

namespace {

using Clock = std::chrono::steady_clock;

const std::string kHead =
    R"({"hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","hook":"HOOK","context":{"userId":"Practitioner/1","patientId":"p1")";
const std::string kConditions =
    R"("conditions":{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M76.62","display":"Achilles tendinitis, left leg"}]},"onsetDateTime":"2026-10-20"}}]})";

std::string Hook(const char* hook) {
  std::string h = kHead;
  h.replace(h.find("HOOK"), 4, hook);
  return h;
}

std::string Order(int i) {
  return R"({"resource":{"resourceType":"MedicationRequest","id":"o)" + std::to_string(i) +
         R"(","status":"draft","intent":"order","subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"text":"lisinopril 10 mg tablet"}}})";
}

// order-select with n drafts, every one selected.
std::string OrderSelect(int n) {
  std::string body = Hook("order-select") + R"(,"selections":[)";
  for (int i = 0; i < n; ++i) body += (i ? ",\"MedicationRequest/o" : "\"MedicationRequest/o") + std::to_string(i) + "\"";
  body += R"(],"draftOrders":{"resourceType":"Bundle","type":"collection","entry":[)";
  for (int i = 0; i < n; ++i) body += (i ? "," : "") + Order(i);
  body += R"(]}},"prefetch":{"patient":null,)" + kConditions + R"(,"medications":null,"serviceRequests":null,"procedures":null}})";
  return body;
}

// patient-view with n active medications (every other one a fluoroquinolone).
std::string PatientView(int n) {
  std::string body = Hook("patient-view") + R"(},"prefetch":{"patient":null,)" + kConditions +
                     R"(,"medications":{"resourceType":"Bundle","type":"searchset","entry":[)";
  for (int i = 0; i < n; ++i) {
    body += std::string(i ? "," : "") + R"({"resource":{"resourceType":"MedicationRequest","id":"m)" +
            std::to_string(i) + R"(","status":"active","intent":"order","subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"text":")" +
            (i % 2 ? "ciprofloxacin 500 mg tablet" : "prednisone 5 mg tablet by mouth") + R"("}}})";
  }
  body += R"(]},"serviceRequests":null,"procedures":null,"bmi":null}})";
  return body;
}

// The best of `repeats` runs, in µs.
template <class F>
double Best(int repeats, F f) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  return best;
}

double ParseOnly(const std::string& request, int repeats) {
  std::string body;
  return Best(repeats, [&] {
    body = request;
    rapidjson::Document doc;
    if (!cds::fhir::ParseInsitu(body, doc)) std::abort();
  });
}

double Pipeline(const cds::cards::Engine& engine, const char* service, const std::string& request, int repeats) {
  std::string body, out;
  return Best(repeats, [&] {
    body = request;
    if (!cds::hooks::HandleServiceCall(engine, service, body, cds::fhir::Date::FromYmd(2026, 11, 28),
                                       {"http://localhost:8080", nullptr}, out))
      std::abort();
  });
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 5;
  const auto engine = cds::cards::Engine::Load(std::string(ACHILLES_SOURCE_DIR) + "/config");
  std::printf("linear scaling: best of %d runs; baseline = fhir::ParseInsitu of the same bytes\n", repeats);
  std::printf("%-14s %9s %8s %12s %12s %8s\n", "request", "KB", "n", "parse us/KB", "whole us/KB", "ratio");
  struct Shape {
    const char* name;
    const char* service;
    std::string (*build)(int);
    double bytes_per_item;
  };
  for (const Shape& shape : {Shape{"order-select", "achilles-order-select", OrderSelect, 250},
                             Shape{"patient-view", "achilles-patient-view", PatientView, 260}}) {
    for (double kb : {10.0, 40.0, 160.0, 640.0, 2560.0, 4000.0}) {
      const int n = std::max(1, static_cast<int>(kb * 1024 / shape.bytes_per_item));
      const std::string request = shape.build(n);
      const double size_kb = static_cast<double>(request.size()) / 1024;
      const double parse = ParseOnly(request, repeats) / size_kb;
      const double whole = Pipeline(*engine, shape.service, request, repeats) / size_kb;
      std::printf("%-14s %9.0f %8d %12.3f %12.3f %7.2fx\n", shape.name, size_kb, n, parse, whole, whole / parse);
    }
  }
  return 0;
}
