// Who may call: CDS Hooks 2.0 §Trusting CDS Clients. Every call carries "Authorization: Bearer <JWT>" signed
// by the EHR; it is checked against the trusted clients of server.json in the order the specification's best
// practice gives: the header (typ JWT, a kid, ES256/ES384/RS256/RS384 only), iss trusted (and sub, when the
// client names one), jku on that client's allowlist, aud the URL called (or the registered base), exp / iat /
// nbf with a small clock skew, tenant, the signature, and last jti not seen before (a bounded replay cache).
// Keys come from the client's JWKS file or its allowed jku URLs, fetched over HTTPS, cached, and fetched again
// for an unknown kid at most once per keyRefreshSeconds (a flood of bad tokens cannot make us hammer the EHR).
// What failed goes to the log only (never the token); the caller answers 401 with no detail.
//
//   Authenticator auth(http);
//   AuthResult r;  std::string url;
//   if (auth.Check(settings, header, audiences, now, r, url) == Authenticator::Step::kNeedKeys)
//     auth.FetchKeys(url, resume);   // then Check again
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/http_get.h"
#include "hooks/jwt.h"

namespace cds::hooks {

struct TrustedClient {
  std::string iss;                     // exactly as the EHR sends it
  std::string sub;                     // when set, the token's sub must equal it (Epic: the client id)
  std::vector<std::string> jku;        // key set URLs this client may name; keys are fetched from them
  std::string jwks_file;               // keys configured out of band (then a jku header is ignored unless listed)
  std::vector<std::string> tenants;    // when set, the token's tenant must be one of them
  // When set, the only FHIR servers a call from this client may have the service fetch from (fhirServer
  // must be one of them or under one at a path boundary); any other is never contacted, so a caller cannot
  // point the service, or the access token it sends, at another host.
  std::vector<std::string> fhir_servers;
  std::shared_ptr<const std::vector<VerifyKey>> file_keys;
};

struct AuthSettings {
  bool required = true;  // secure by default: off only where a configuration says so (development)
  std::vector<TrustedClient> clients;
  std::chrono::seconds clock_skew{60};
  std::size_t replay_cache = 100'000;  // jti values remembered (until their exp)
  std::chrono::seconds key_refresh{60};
};

struct AuthResult {
  bool ok = false;
  std::string failure;  // for the log: what failed ("aud does not match"), never the token or a claim's value
  const char* reason = "";  // the same as one word for metrics ("aud"), from a fixed set
  std::string iss;      // the client, when known
  std::vector<std::string> fhir_servers;  // the client's fhirServers (when ok; empty: any)
};

class Authenticator {
 public:
  explicit Authenticator(std::shared_ptr<fhir::HttpGetter> http);
  ~Authenticator();

  enum class Step { kDone, kNeedKeys };
  // kDone: `result` says whether the call is authenticated. kNeedKeys: the token names a kid of an allowed
  // jku whose key set must be fetched first (`keys_url`); FetchKeys, then Check again.
  // `audiences`: the URLs this call may be addressed as; `now`: seconds since the epoch.
  Step Check(const AuthSettings& settings, std::string_view authorization, const std::vector<std::string>& audiences,
             int64_t now, AuthResult& result, std::string& keys_url);
  // Fetches (or joins the fetch of) one key set; `done` runs once, on a client thread, when it is in or failed.
  void FetchKeys(const std::string& url, std::function<void()> done);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace cds::hooks
