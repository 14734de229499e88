// Test signing with OpenSSL 3 (EVP_PKEY_Q_keygen, EVP_DigestSign); ECDSA's DER turned into JWS's r||s.
#include "tests/support/jwt_mint.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include "hooks/jwt.h"
#include "tests/support/json.h"

namespace cds::test {

struct SigningKey::Impl {
  EVP_PKEY* key = nullptr;
  ~Impl() { EVP_PKEY_free(key); }
};

namespace {

std::string Bn(const BIGNUM* bn, int size = 0) {
  std::string out(size > 0 ? static_cast<std::size_t>(size) : static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  if (size > 0) {
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), size);
  } else {
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  }
  return out;
}

std::string Param(const rapidjson::Document& d, const char* name) {
  return d.HasMember(name) ? *hooks::Base64UrlDecode(d[name].GetString()) : "";
}

}  // namespace

SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

SigningKey SigningKey::Generate(const std::string& alg, const std::string& kid) {
  SigningKey k;
  k.impl_ = std::make_unique<Impl>();
  k.kid_ = kid;
  k.alg_ = alg;
  if (alg == "ES256") k.impl_->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (alg == "ES384") k.impl_->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  if (alg == "RS256" || alg == "RS384") k.impl_->key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  EXPECT_NE(k.impl_->key, nullptr) << alg;
  return k;
}

SigningKey SigningKey::FromPrivateJwk(const std::string& jwk_json, const std::string& alg) {
  rapidjson::Document d = Json(jwk_json);
  SigningKey k;
  k.impl_ = std::make_unique<Impl>();
  k.kid_ = d["kid"].GetString();
  k.alg_ = alg;
  const std::string point = "\x04" + Param(d, "x") + Param(d, "y");
  const std::string priv = Param(d, "d");
  BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(priv.data()), static_cast<int>(priv.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, d["crv"].GetString(), 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bn);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &k.impl_->key, EVP_PKEY_KEYPAIR, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn);
  EXPECT_NE(k.impl_->key, nullptr);
  return k;
}

std::string SigningKey::PublicJwk() const {
  std::string out = "{\"kid\":\"" + kid_ + "\",\"use\":\"sig\",\"alg\":\"" + alg_ + "\",";
  if (alg_[0] == 'E') {
    unsigned char buf[200];
    size_t len = 0;
    EVP_PKEY_get_octet_string_param(impl_->key, OSSL_PKEY_PARAM_PUB_KEY, buf, sizeof buf, &len);
    const std::size_t half = (len - 1) / 2;
    const std::string x(reinterpret_cast<char*>(buf + 1), half), y(reinterpret_cast<char*>(buf + 1 + half), half);
    out += std::string("\"kty\":\"EC\",\"crv\":\"") + (alg_ == "ES256" ? "P-256" : "P-384") + "\",\"x\":\"" +
           hooks::Base64UrlEncode(x) + "\",\"y\":\"" + hooks::Base64UrlEncode(y) + "\"}";
  } else {
    BIGNUM *n = nullptr, *e = nullptr;
    EVP_PKEY_get_bn_param(impl_->key, OSSL_PKEY_PARAM_RSA_N, &n);
    EVP_PKEY_get_bn_param(impl_->key, OSSL_PKEY_PARAM_RSA_E, &e);
    out += "\"kty\":\"RSA\",\"n\":\"" + hooks::Base64UrlEncode(Bn(n)) + "\",\"e\":\"" + hooks::Base64UrlEncode(Bn(e)) + "\"}";
    BN_free(n);
    BN_free(e);
  }
  return out;
}

std::string SigningKey::PublicJwks() const { return "{\"keys\":[" + PublicJwk() + "]}"; }

std::string SigningKey::Sign(const std::string& claims_json, const std::string& extra_header) const {
  return SignRaw("{\"alg\":\"" + alg_ + "\",\"typ\":\"JWT\",\"kid\":\"" + kid_ + "\"" +
                     (extra_header.empty() ? "" : "," + extra_header) + "}",
                 claims_json);
}

std::string SigningKey::SignRaw(const std::string& header_json, const std::string& claims_json) const {
  const std::string input = hooks::Base64UrlEncode(header_json) + "." + hooks::Base64UrlEncode(claims_json);
  const EVP_MD* md = alg_.substr(2) == "256" ? EVP_sha256() : EVP_sha384();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestSignInit(ctx, nullptr, md, nullptr, impl_->key);
  size_t len = 0;
  EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  std::string sig(len, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  if (alg_[0] == 'E') {  // DER ECDSA-Sig-Value → r||s
    const int half = alg_ == "ES256" ? 32 : 48;
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* s = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    sig = Bn(ECDSA_SIG_get0_r(s), half) + Bn(ECDSA_SIG_get0_s(s), half);
    ECDSA_SIG_free(s);
  }
  return input + "." + hooks::Base64UrlEncode(sig);
}

std::string Claims(const std::string& iss, const std::string& aud, int64_t now, const std::string& extra) {
  unsigned char r[16];
  RAND_bytes(r, sizeof r);
  std::string jti;
  for (unsigned char c : r) jti += "0123456789abcdef"[c >> 4], jti += "0123456789abcdef"[c & 15];
  return "{\"iss\":\"" + iss + "\",\"aud\":\"" + aud + "\",\"iat\":" + std::to_string(now) +
         ",\"exp\":" + std::to_string(now + 300) + ",\"jti\":\"" + jti + "\"" + (extra.empty() ? "" : "," + extra) + "}";
}

}  // namespace cds::test
