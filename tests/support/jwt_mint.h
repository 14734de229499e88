// Signing JWTs in the tests, as an EHR does: fresh ES256/ES384/RS256/RS384 keys (or a private JWK such as
// the specification's example key), their public JWK Set, and compact JWS signed with OpenSSL.
//
//   SigningKey key = SigningKey::Generate("ES384", "kid-1");
//   std::string jwks = key.PublicJwks();
//   std::string token = key.Sign(Claims("https://ehr.example", "http://127.0.0.1:8080/cds-services", now));
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace cds::test {

class SigningKey {
 public:
  // alg: ES256, ES384, RS256 or RS384.
  static SigningKey Generate(const std::string& alg, const std::string& kid);
  // An EC private JWK ({"kty":"EC","crv":"P-384","d":…,"x":…,"y":…,"kid":…}).
  static SigningKey FromPrivateJwk(const std::string& jwk_json, const std::string& alg);
  SigningKey(SigningKey&&) noexcept;
  ~SigningKey();

  const std::string& kid() const { return kid_; }
  const std::string& alg() const { return alg_; }
  std::string PublicJwk() const;   // one key object
  std::string PublicJwks() const;  // {"keys":[…]}
  // header: {"alg","typ":"JWT","kid"} plus `extra_header` members (e.g. "\"jku\":\"https://…\"").
  std::string Sign(const std::string& claims_json, const std::string& extra_header = "") const;
  // Signs exactly this header (for malformed-header tests).
  std::string SignRaw(const std::string& header_json, const std::string& claims_json) const;

 private:
  SigningKey() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string kid_, alg_;
};

// Claims of a CDS Hooks call: iss, aud, iat = now, exp = now + 300, a fresh jti, plus `extra` members.
std::string Claims(const std::string& iss, const std::string& aud, int64_t now, const std::string& extra = "");

}  // namespace cds::test
