// What authentication costs a call, in process (Google Benchmark): per token, the signature alone (decode +
// OpenSSL verify) and the whole check the router runs (header, iss, aud, times, signature, replay cache),
// for ES384 and RS384 (the algorithms EHRs sign with; ES256/RS256 for reference). The baseline in the same
// run is the whole pipeline of the patient-view benchmark request, so each figure reads as a fraction of
// what answering the call costs anyway. Tokens are minted before timing, each with its own jti.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_requests.h"
#include "hooks/auth.h"
#include "hooks/jwt.h"
#include "hooks/router.h"
#include "tests/support/jwt_mint.h"

namespace {

using namespace cds;
constexpr char kIss[] = "https://ehr.example.org/fhir";
constexpr char kAud[] = "https://cds.example.org/cds-services/achilles-patient-view";
using cds::bench::Pipeline;
constexpr std::size_t kPool = 400;  // distinct tokens per algorithm, minted once

struct Fixture {
  std::vector<std::string> tokens;
  hooks::AuthSettings settings;
};

const Fixture& For(const std::string& alg) {
  static std::map<std::string, std::unique_ptr<Fixture>> fixtures;
  auto& f = fixtures[alg];
  if (f) return *f;
  f = std::make_unique<Fixture>();
  const test::SigningKey key = test::SigningKey::Generate(alg, "bench-" + alg);
  const int64_t now = hooks::UnixNow();
  for (std::size_t i = 0; i < kPool; ++i) f->tokens.push_back(key.Sign(test::Claims(kIss, kAud, now)));
  hooks::TrustedClient client;
  client.iss = kIss;
  auto keys = hooks::ParseJwks(key.PublicJwks());
  client.file_keys = std::make_shared<const std::vector<hooks::VerifyKey>>(std::move(*keys));
  f->settings.clients = {client};
  return *f;
}

// Decoding the token and checking its signature: the cryptography alone.
void Signature(benchmark::State& state, const char* alg) {
  const Fixture& f = For(alg);
  const hooks::VerifyKey& key = f.settings.clients[0].file_keys->at(0);
  std::size_t i = 0;
  for (auto _ : state) {
    auto jwt = hooks::DecodeJwt(f.tokens[i++ % kPool]);
    if (!jwt || !hooks::VerifySignature(*jwt, key)) state.SkipWithError("a minted token did not verify");
  }
}

// Checks the pool's tokens in turn, as the router checks a call's Authorization header. A token is accepted
// once (its jti is then known), so after each pass over the pool a fresh Authenticator — an empty replay
// cache — is made, untimed.
class Checker {
 public:
  explicit Checker(const Fixture& f) : f_(f), now_(hooks::UnixNow()) {
    for (const std::string& t : f.tokens) headers_.push_back("Bearer " + t);
  }
  void Next(benchmark::State& state) {
    if (i_ == kPool) {
      state.PauseTiming();
      auth_ = std::make_unique<hooks::Authenticator>(nullptr);
      i_ = 0;
      state.ResumeTiming();
    }
    hooks::AuthResult result;
    std::string keys_url;
    auth_->Check(f_.settings, headers_[i_++], audiences_, now_, result, keys_url);
    if (!result.ok) state.SkipWithError(("a minted token was refused: " + result.failure).c_str());
  }

 private:
  const Fixture& f_;
  const int64_t now_;
  const std::vector<std::string> audiences_ = {kAud};
  std::vector<std::string> headers_;
  std::unique_ptr<hooks::Authenticator> auth_ = std::make_unique<hooks::Authenticator>(nullptr);
  std::size_t i_ = 0;
};

void Check(benchmark::State& state, const char* alg) {
  Checker checker(For(alg));
  for (auto _ : state) checker.Next(state);
}

// A check, then the pipeline, per iteration, as the server does: whether the two together cost their sum (the
// verification leaving the pipeline's working set cold would show here).
void CheckThenPipeline(benchmark::State& state, const char* alg) {
  Checker checker(For(alg));
  const std::string request = bench::ReadRequest("patient-view.json");
  const fhir::Date today = fhir::Date::FromYmd(2026, 11, 28);
  std::string body, out;
  for (auto _ : state) {
    checker.Next(state);
    body.assign(request);
    auto ok = hooks::HandleServiceCall(bench::Engine(), "achilles-patient-view", body, today, bench::Options(), out);
    if (!ok) state.SkipWithError("the request was refused");
  }
}

BENCHMARK_CAPTURE(Pipeline, patient_view_baseline, "patient-view.json", "achilles-patient-view");
BENCHMARK_CAPTURE(Signature, es384, "ES384");
BENCHMARK_CAPTURE(Check, es384, "ES384");
BENCHMARK_CAPTURE(Signature, rs384, "RS384");
BENCHMARK_CAPTURE(Check, rs384, "RS384");
BENCHMARK_CAPTURE(CheckThenPipeline, rs384, "RS384");
BENCHMARK_CAPTURE(Signature, es256, "ES256");
BENCHMARK_CAPTURE(Signature, rs256, "RS256");

}  // namespace

// Keys and tokens are made before any timing (RSA signing is slow and would warm or tire the core unevenly).
int main(int argc, char** argv) {
  for (const char* alg : {"ES384", "RS384", "ES256", "RS256"}) For(alg);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
