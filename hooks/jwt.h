// JSON Web Tokens as CDS clients send them (CDS Hooks 2.0 §Trusting CDS Clients): a compact JWS whose
// header and claims are JSON, signed with an asymmetric key published as a JSON Web Key. Only ES256,
// ES384, RS256 and RS384 are verified — never "none", never an HMAC (a public key is not a shared secret).
// OpenSSL 3 does the cryptography; keys are parsed once per key set, never per request.
//
//   auto keys = ParseJwks(text);                         // public keys by kid
//   auto jwt = DecodeJwt(token);                         // header, claims, signing input, signature
//   bool ok = VerifySignature(*jwt, keys->at(0));
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/parsed_json.h"
#include "fhir/result.h"

namespace cds::hooks {

enum class JwsAlg { kES256, kES384, kRS256, kRS384 };
// The algorithm a header names, when it is one this service verifies.
std::optional<JwsAlg> ParseJwsAlg(std::string_view name);
std::string_view JwsAlgName(JwsAlg alg);

// One public verification key from a JWK: EC P-256 / P-384 (the point checked to be on the curve) or RSA
// of at least 2048 bits. Movable; owns its OpenSSL key.
class VerifyKey {
 public:
  VerifyKey();
  ~VerifyKey();
  VerifyKey(VerifyKey&&) noexcept;
  VerifyKey& operator=(VerifyKey&&) noexcept;

  const std::string& kid() const { return kid_; }
  // Whether this key may verify `alg`: the key type and curve match, and the JWK's own "alg", if any.
  bool Fits(JwsAlg alg) const;

 private:
  friend fhir::Result<VerifyKey> ParseJwk(const fhir::JsonNode* jwk);
  friend bool VerifySignature(const struct DecodedJwt& jwt, const VerifyKey& key);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string kid_;
};

fhir::Result<VerifyKey> ParseJwk(const fhir::JsonNode* jwk);
// A JWK Set {"keys":[…]}: the signature keys it holds. A key this service cannot use (another type or curve,
// an encryption key, RSA under 2048 bits) is skipped; an error only when the text is not a key set at all.
fhir::Result<std::vector<VerifyKey>> ParseJwks(std::string text);

struct DecodedJwt {
  fhir::ParsedJson header;
  fhir::ParsedJson claims;
  std::string signing_input;  // base64url(header) "." base64url(claims)
  std::string signature;      // raw bytes: r||s for ECDSA, the PKCS #1 v1.5 signature for RSA
};

// Splits and decodes a compact JWS (three base64url parts, JSON objects for header and claims). The error
// says which part is malformed, never what it contained.
fhir::Result<DecodedJwt> DecodeJwt(std::string_view token);

// The signature checked with `key` and the header's algorithm (which the caller has already allowed).
bool VerifySignature(const DecodedJwt& jwt, const VerifyKey& key);

// base64url without padding (RFC 7515 §2); nullopt for any other character or an impossible length.
std::optional<std::string> Base64UrlDecode(std::string_view text);
std::string Base64UrlEncode(std::string_view bytes);

}  // namespace cds::hooks
