// Mints the tokens the authenticated load benchmark sends: one signing key (ALG: ES384, RS384, …), its public
// JWK Set written to JWKS_FILE, and FILES files PREFIX.1 … PREFIX.FILES of PER_FILE tokens each, one per line,
// every token for audience AUD with its own jti (a token is accepted once, so each load round gets a file of
// its own). Signing is slow, so the cores share it; used by bench/run.sh before the load starts.
//   mint_tokens ALG PER_FILE FILES ISS AUD JWKS_FILE PREFIX
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "hooks/router.h"
#include "tests/support/jwt_mint.h"

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: mint_tokens ALG PER_FILE FILES ISS AUD JWKS_FILE PREFIX\n");
    return 2;
  }
  const std::string alg = argv[1], iss = argv[4], aud = argv[5], prefix = argv[7];
  const long per_file = std::atol(argv[2]), files = std::atol(argv[3]);
  const cds::test::SigningKey key = cds::test::SigningKey::Generate(alg, "bench-" + alg);
  std::ofstream(argv[6]) << key.PublicJwks();
  // Valid for the whole benchmark: iat now, exp in 300 s (Claims).
  const int64_t now = cds::hooks::UnixNow();
  std::vector<std::string> out(static_cast<std::size_t>(files));
  std::vector<std::thread> threads;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned t = 0; t < cores; ++t) {
    threads.emplace_back([&, t] {
      for (long f = t; f < files; f += cores) {
        for (long i = 0; i < per_file; ++i) out[f] += key.Sign(cds::test::Claims(iss, aud, now)) + "\n";
      }
    });
  }
  for (auto& t : threads) t.join();
  for (long f = 0; f < files; ++f) {
    std::ofstream file(prefix + "." + std::to_string(f + 1));
    file << out[f];
    if (!file) return 1;
  }
  return 0;
}
