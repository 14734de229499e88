// libFuzzer target: the Authorization header of a call, through every check the router runs (decode, header,
// claims, audience, times, tenant, the signature against the specification's example key, replay cache).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "hooks/auth.h"
#include "hooks/jwt.h"

namespace {

// The specification's own example: its public key set trusted for its issuer and tenant, and the clock set to
// its token's iat, so a fuzzed token derived from it reaches the signature check and the replay cache.
constexpr int64_t kExampleIat = 1311280970;
constexpr char kExampleAudience[] = "https://cds.example.org/cds-services/some-service";

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

cds::hooks::AuthSettings Settings() {
  cds::hooks::AuthSettings s;
  cds::hooks::TrustedClient c;
  c.iss = "https://fhir-ehr.example.com/";
  c.tenants = {"2ddd6c3a-8e9a-44c6-a305-52111ad302a2"};
  auto keys = cds::hooks::ParseJwks(Read(std::string(ACHILLES_SOURCE_DIR) + "/tests/data/spec-examples/index-jwks-public.json"));
  if (!keys.ok() || keys->empty()) std::abort();  // the harness would test nothing
  c.file_keys = std::make_shared<const std::vector<cds::hooks::VerifyKey>>(std::move(*keys));
  s.clients.push_back(std::move(c));
  s.replay_cache = 1000;
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const cds::hooks::AuthSettings settings = Settings();
  static cds::hooks::Authenticator auth(nullptr);  // no jku is allowed: no key set is ever fetched
  const std::string header(reinterpret_cast<const char*>(data), size);
  cds::hooks::AuthResult result;
  std::string keys_url;
  (void)auth.Check(settings, header, {kExampleAudience}, kExampleIat, result, keys_url);
  (void)cds::hooks::DecodeJwt(header);
  return 0;
}
