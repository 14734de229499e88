// JWS decoding and verification with OpenSSL 3: JWK → EVP_PKEY through OSSL_PARAM (EC points checked on
// the curve), ECDSA's raw r||s turned into the DER OpenSSL verifies, RSA PKCS #1 v1.5.
#include "hooks/jwt.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "fhir/json_node.h"

namespace cds::hooks {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

template <class T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using CtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using BldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using SigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;

enum class KeyType { kEcP256, kEcP384, kRsa };

// base64url digit values, -1 for anything else: one table lookup per character, no data-dependent branches
// (a token is ~650 random characters, which a chain of range checks mispredicts on nearly every one).
struct Base64UrlTable {
  int8_t value[256];
  constexpr Base64UrlTable() : value() {
    for (int c = 0; c < 256; ++c) value[c] = -1;
    for (int c = 0; c < 26; ++c) value['A' + c] = static_cast<int8_t>(c), value['a' + c] = static_cast<int8_t>(26 + c);
    for (int c = 0; c < 10; ++c) value['0' + c] = static_cast<int8_t>(52 + c);
    value[static_cast<unsigned char>('-')] = 62;
    value[static_cast<unsigned char>('_')] = 63;
  }
};
constexpr Base64UrlTable kBase64Url;

fhir::Error Bad(std::string message) { return fhir::MakeError(fhir::ErrorKind::kBadRequest, std::move(message)); }

// Builds the key from OSSL_PARAMs; nullptr when OpenSSL refuses them.
Pkey FromParams(const char* type, const OSSL_PARAM* params) {
  CtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) <= 0) {
    return nullptr;
  }
  return Pkey(key);
}

}  // namespace

std::optional<JwsAlg> ParseJwsAlg(std::string_view name) {
  if (name == "ES256") return JwsAlg::kES256;
  if (name == "ES384") return JwsAlg::kES384;
  if (name == "RS256") return JwsAlg::kRS256;
  if (name == "RS384") return JwsAlg::kRS384;
  return std::nullopt;  // "none", HS*, PS*, ES512, anything else: refused
}

std::string_view JwsAlgName(JwsAlg alg) {
  switch (alg) {
    case JwsAlg::kES256: return "ES256";
    case JwsAlg::kES384: return "ES384";
    case JwsAlg::kRS256: return "RS256";
    case JwsAlg::kRS384: return "RS384";
  }
  return "";
}

struct VerifyKey::Impl {
  Pkey key;
  KeyType type = KeyType::kRsa;
  std::string alg;  // the JWK's own "alg", may be empty
};

VerifyKey::VerifyKey() = default;
VerifyKey::~VerifyKey() = default;
VerifyKey::VerifyKey(VerifyKey&&) noexcept = default;
VerifyKey& VerifyKey::operator=(VerifyKey&&) noexcept = default;

bool VerifyKey::Fits(JwsAlg alg) const {
  if (!impl_) return false;
  if (!impl_->alg.empty() && impl_->alg != JwsAlgName(alg)) return false;
  switch (alg) {
    case JwsAlg::kES256: return impl_->type == KeyType::kEcP256;
    case JwsAlg::kES384: return impl_->type == KeyType::kEcP384;
    case JwsAlg::kRS256:
    case JwsAlg::kRS384: return impl_->type == KeyType::kRsa;
  }
  return false;
}

fhir::Result<VerifyKey> ParseJwk(const fhir::JsonNode* jwk) {
  namespace json = fhir::json;
  if (!json::IsObject(jwk)) return Bad("a key is not a JSON object");
  const std::string_view use = json::StringAt(jwk, "use");
  if (!use.empty() && use != "sig") return Bad("not a signature key (use " + std::string(use) + ")");
  VerifyKey out;
  out.impl_ = std::make_unique<VerifyKey::Impl>();
  out.kid_ = std::string(json::StringAt(jwk, "kid"));
  out.impl_->alg = std::string(json::StringAt(jwk, "alg"));
  const std::string_view kty = json::StringAt(jwk, "kty");
  if (kty == "EC") {
    const std::string_view crv = json::StringAt(jwk, "crv");
    std::size_t size = 0;
    if (crv == "P-256") {
      out.impl_->type = KeyType::kEcP256;
      size = 32;
    } else if (crv == "P-384") {
      out.impl_->type = KeyType::kEcP384;
      size = 48;
    } else {
      return Bad("unsupported curve " + std::string(crv));
    }
    auto x = Base64UrlDecode(json::StringAt(jwk, "x"));
    auto y = Base64UrlDecode(json::StringAt(jwk, "y"));
    if (!x || !y || x->size() != size || y->size() != size) return Bad("EC key with malformed x or y");
    std::string point = "\x04" + *x + *y;  // uncompressed SEC1 point
    BldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld || !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, crv == "P-256" ? "P-256" : "P-384", 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size())) {
      return Bad("EC key could not be built");
    }
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    out.impl_->key = FromParams("EC", params.get());
    if (!out.impl_->key) return Bad("EC key is not a point of its curve");
    CtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, out.impl_->key.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) return Bad("EC key is not a point of its curve");
    return out;
  }
  if (kty == "RSA") {
    out.impl_->type = KeyType::kRsa;
    auto n = Base64UrlDecode(json::StringAt(jwk, "n"));
    auto e = Base64UrlDecode(json::StringAt(jwk, "e"));
    if (!n || !e || n->empty() || e->empty()) return Bad("RSA key with malformed n or e");
    BnPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()), nullptr));
    BnPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()), nullptr));
    BldPtr bld(OSSL_PARAM_BLD_new());
    if (!bn_n || !bn_e || !bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get())) {
      return Bad("RSA key could not be built");
    }
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    out.impl_->key = FromParams("RSA", params.get());
    if (!out.impl_->key) return Bad("RSA key could not be built");
    if (EVP_PKEY_get_bits(out.impl_->key.get()) < 2048) return Bad("RSA key shorter than 2048 bits");
    return out;
  }
  return Bad("unsupported key type " + std::string(kty));
}

fhir::Result<std::vector<VerifyKey>> ParseJwks(std::string text) {
  auto doc = fhir::ParsedJson::Parse(std::move(text));
  if (!doc) return Bad("not JSON: " + doc.error().message);
  const fhir::JsonNode* keys = fhir::json::Member(doc->root(), "keys");
  if (!fhir::json::IsArray(keys)) return Bad("not a JWK Set (no \"keys\" array)");
  std::vector<VerifyKey> out;
  for (std::size_t i = 0, n = fhir::json::Size(keys); i < n; ++i) {
    auto key = ParseJwk(fhir::json::At(keys, i));
    if (key && !key->kid().empty()) out.push_back(std::move(*key));  // a key without a kid cannot be selected
  }
  return out;
}

fhir::Result<DecodedJwt> DecodeJwt(std::string_view token) {
  const std::size_t a = token.find('.');
  const std::size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) {
    return Bad("not a compact JWS (three parts separated by '.')");
  }
  auto header = Base64UrlDecode(token.substr(0, a));
  auto claims = Base64UrlDecode(token.substr(a + 1, b - a - 1));
  auto signature = Base64UrlDecode(token.substr(b + 1));
  if (!header || !claims || !signature) return Bad("a part is not base64url");
  auto h = fhir::ParsedJson::Parse(std::move(*header));
  if (!h || !fhir::json::IsObject(h->root())) return Bad("the header is not a JSON object");
  auto c = fhir::ParsedJson::Parse(std::move(*claims));
  if (!c || !fhir::json::IsObject(c->root())) return Bad("the claims are not a JSON object");
  return DecodedJwt{std::move(*h), std::move(*c), std::string(token.substr(0, b)), std::move(*signature)};
}

bool VerifySignature(const DecodedJwt& jwt, const VerifyKey& key) {
  const auto alg = ParseJwsAlg(fhir::json::StringAt(jwt.header.root(), "alg"));
  if (!alg || !key.Fits(*alg) || !key.impl_) return false;
  const EVP_MD* md = (*alg == JwsAlg::kES256 || *alg == JwsAlg::kRS256) ? EVP_sha256() : EVP_sha384();
  std::string der;
  std::string_view signature = jwt.signature;
  if (*alg == JwsAlg::kES256 || *alg == JwsAlg::kES384) {
    // JWS carries r||s, each the curve's size; OpenSSL verifies a DER ECDSA-Sig-Value.
    const std::size_t half = *alg == JwsAlg::kES256 ? 32 : 48;
    if (jwt.signature.size() != 2 * half) return false;
    const auto* raw = reinterpret_cast<const unsigned char*>(jwt.signature.data());
    SigPtr sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(raw, static_cast<int>(half), nullptr);
    BIGNUM* s = BN_bin2bn(raw + half, static_cast<int>(half), nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
      BN_free(r);
      BN_free(s);
      return false;
    }
    unsigned char* out = nullptr;
    const int len = i2d_ECDSA_SIG(sig.get(), &out);
    if (len <= 0) return false;
    der.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
    OPENSSL_free(out);
    signature = der;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key.impl_->key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(jwt.signing_input.data()),
                          jwt.signing_input.size()) == 1;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out(text.size() * 3 / 4, '\0');  // exact for unpadded base64url
  char* w = out.data();
  uint32_t acc = 0;
  int bits = 0, bad = 0;
  for (char c : text) {
    const int v = kBase64Url.value[static_cast<unsigned char>(c)];
    bad |= v;  // negative once any character is not base64url
    acc = (acc << 6) | static_cast<uint32_t>(v & 0x3F);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *w++ = static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (bad < 0) return std::nullopt;
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;  // non-canonical trailing bits
  out.resize(static_cast<std::size_t>(w - out.data()));
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : bytes) {
    acc = (acc << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 0x3F];
  return out;
}

}  // namespace cds::hooks
