// hooks/jwt.cpp and hooks/auth.cpp: CDS Hooks 2.0 §Trusting CDS Clients. "The CDS Service MUST ... verify
// the JWT"; best practice: iss on an allowlist, aud the service's URL, exp, tenant, the signature, jti never
// seen before; any failure is a 401 with no detail. The specification's own ES384 token (whose exp is in
// 2015) is rejected now and accepted with the clock set to its iat; every attack below is refused.
#include "hooks/auth.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <filesystem>
#include <thread>

#include "hooks/jwt.h"
#include "hooks/service_call.h"
#include "tests/support/fetch_requests.h"
#include "tests/support/fhir_server.h"
#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/jwt_mint.h"
#include "tests/support/process.h"
#include "tests/support/requests.h"
#include "tests/support/service_calls.h"
#include "tests/support/test_ca.h"
#include "tests/support/test_server.h"

namespace cds::hooks {
namespace {

using namespace cds::test;

constexpr char kEhr[] = "https://ehr.example.org";
constexpr char kAud[] = "https://cds.example.org/cds-services/achilles-patient-view";
const std::vector<std::string> kAudiences = {kAud};

int64_t Now() { return UnixNow(); }

std::shared_ptr<fhir::HttpGetter> Http() {
  static auto http = std::make_shared<fhir::HttpGetter>(fhir::HttpGetter::Options{});
  return http;
}

TrustedClient ClientWithKeys(const std::string& iss, const std::string& jwks) {
  TrustedClient c;
  c.iss = iss;
  auto keys = ParseJwks(jwks);
  EXPECT_TRUE(keys.ok()) << (keys.ok() ? "" : keys.error().message);
  c.file_keys = std::make_shared<const std::vector<VerifyKey>>(std::move(*keys));
  return c;
}

AuthResult CheckToken(Authenticator& auth, const AuthSettings& s, const std::string& token, int64_t now,
                      const std::vector<std::string>& audiences = kAudiences) {
  AuthResult r;
  std::string url;
  EXPECT_EQ(auth.Check(s, "Bearer " + token, audiences, now, r, url), Authenticator::Step::kDone);
  return r;
}

TEST(Jwt, TheSpecificationsExampleTokenIsExpiredNowAndValidAtItsIat) {
  const std::string token = ReadFile(SourcePath("tests/data/spec-examples/index-jwt-es384-expired.txt"));
  const std::string jwks = ReadFile(SourcePath("tests/data/spec-examples/index-jwks-public.json"));
  std::string trimmed = token;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r')) trimmed.pop_back();
  AuthSettings s;
  s.clients = {ClientWithKeys("https://fhir-ehr.example.com/", jwks)};
  const std::vector<std::string> aud = {"https://cds.example.org/cds-services/some-service"};
  Authenticator auth(Http());
  AuthResult now = CheckToken(auth, s, trimmed, Now(), aud);
  EXPECT_FALSE(now.ok);
  EXPECT_EQ(now.failure, "expired");
  AuthResult then = CheckToken(auth, s, trimmed, 1311280970, aud);  // the token's iat
  EXPECT_TRUE(then.ok) << then.failure;
  // The example's private key (index-jwk-private-es384.json) signs fresh claims that its public set verifies.
  SigningKey example = SigningKey::FromPrivateJwk(ReadFile(SourcePath("tests/data/spec-examples/index-jwk-private-es384.json")), "ES384");
  Authenticator fresh_calls(Http());
  const AuthResult minted =
      CheckToken(fresh_calls, s, example.Sign(Claims("https://fhir-ehr.example.com/", aud[0], Now())), Now(), aud);
  EXPECT_TRUE(minted.ok) << minted.failure;
  // Its tenant, when the client names tenants, must be one of them.
  s.clients[0].tenants = {"another-tenant"};
  Authenticator fresh(Http());
  EXPECT_EQ(CheckToken(fresh, s, trimmed, 1311280970, aud).failure, "tenant is not one of the client's");
  // A client that lists jku URLs refuses a token naming another.
  s.clients[0].tenants.clear();
  s.clients[0].jku = {"https://fhir-ehr.example.com/another_jwk_uri"};
  EXPECT_EQ(CheckToken(fresh, s, trimmed, 1311280970, aud).failure, "jku is not on the client's allowlist");
}

TEST(Jwt, TokensMintedWithEveryAcceptedAlgorithmVerify) {
  for (const char* alg : {"ES256", "ES384", "RS256", "RS384"}) {
    SigningKey key = SigningKey::Generate(alg, std::string("kid-") + alg);
    AuthSettings s;
    s.clients = {ClientWithKeys(kEhr, key.PublicJwks())};
    Authenticator auth(Http());
    const AuthResult r = CheckToken(auth, s, key.Sign(Claims(kEhr, kAud, Now())), Now());
    EXPECT_TRUE(r.ok) << alg << ": " << r.failure;
    EXPECT_EQ(r.iss, kEhr);
  }
}

// HMAC over the public key's JWK text: the classic key-confusion forgery.
std::string Hs256(const std::string& header, const std::string& claims, const std::string& secret) {
  const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(claims);
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return input + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), len));
}

TEST(Jwt, EveryAttackIsRefused) {
  SigningKey key = SigningKey::Generate("ES384", "kid-1");
  SigningKey stranger = SigningKey::Generate("ES384", "kid-1");  // same kid, another key
  AuthSettings s;
  s.clients = {ClientWithKeys(kEhr, key.PublicJwks())};
  s.clients[0].sub = "client-42";
  s.clients[0].jku = {"https://ehr.example.org/jwks"};
  const int64_t now = Now();
  const std::string sub = "\"sub\":\"client-42\"";
  const std::string good = key.Sign(Claims(kEhr, kAud, now, sub));
  auto tamper = [](std::string t, std::size_t part, const std::string& with) {
    const std::size_t a = t.find('.'), b = t.find('.', a + 1);
    if (part == 1) return t.substr(0, a + 1) + with + t.substr(b);
    return t.substr(0, b + 1) + with;
  };
  const std::string header = R"({"alg":"ES384","typ":"JWT","kid":"kid-1"})";
  const std::string claims = Claims(kEhr, kAud, now, sub);
  std::string flipped = good;
  flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';

  const std::vector<std::pair<std::string, std::string>> attacks = {
      {"wrong aud", key.Sign(Claims(kEhr, "https://other.example/cds-services/x", now, sub))},
      {"unknown iss", key.Sign(Claims("https://evil.example", kAud, now, sub))},
      {"sub of another client", key.Sign(Claims(kEhr, kAud, now, "\"sub\":\"client-7\""))},
      {"jku off the allowlist", key.Sign(Claims(kEhr, kAud, now, sub), "\"jku\":\"https://evil.example/jwks\"")},
      {"unknown kid", SigningKey::Generate("ES384", "kid-9").Sign(Claims(kEhr, kAud, now, sub))},
      {"signed by another key with the same kid", stranger.Sign(Claims(kEhr, kAud, now, sub))},
      {"tampered payload", tamper(good, 1, Base64UrlEncode(Claims(kEhr, kAud, now, "\"sub\":\"client-42\",\"x\":1")))},
      {"tampered signature", flipped},
      {"alg none", Base64UrlEncode(R"({"alg":"none","typ":"JWT","kid":"kid-1"})") + "." + Base64UrlEncode(claims) + "."},
      {"HS256 with the public key as secret",
       Hs256(R"({"alg":"HS256","typ":"JWT","kid":"kid-1"})", claims, key.PublicJwks())},
      {"expired", key.Sign(Claims(kEhr, kAud, now - 3600, sub))},
      {"issued in the future", key.Sign(Claims(kEhr, kAud, now + 3600, sub))},
      {"not yet valid", key.Sign(Claims(kEhr, kAud, now, sub + ",\"nbf\":" + std::to_string(now + 3600)))},
      {"no jti", key.Sign("{\"iss\":\"" + std::string(kEhr) + "\",\"aud\":\"" + kAud + "\",\"iat\":" +
                          std::to_string(now) + ",\"exp\":" + std::to_string(now + 300) + "," + sub + "}")},
      {"typ not JWT", key.SignRaw(R"({"alg":"ES384","typ":"JOSE+JSON","kid":"kid-1"})", claims)},
      {"no kid", key.SignRaw(R"({"alg":"ES384","typ":"JWT"})", claims)},
      {"not a JWT", "abc.def"},
      {"not base64url", "a*b.c*d.e*f"},
  };
  for (const auto& [name, token] : attacks) {
    Authenticator auth(Http());
    AuthResult r;
    std::string url;
    const auto step = auth.Check(s, "Bearer " + token, kAudiences, now, r, url);
    EXPECT_EQ(step, Authenticator::Step::kDone) << name;
    EXPECT_FALSE(r.ok) << name;
    EXPECT_FALSE(r.failure.empty()) << name;
    EXPECT_EQ(r.failure.find(token), std::string::npos) << name << ": the log reason carries the token";
  }
  // The genuine token passes once; the same jti again is a replay.
  Authenticator auth(Http());
  EXPECT_TRUE(CheckToken(auth, s, good, now).ok);
  EXPECT_EQ(CheckToken(auth, s, good, now).failure, "jti replayed");
  // Not a Bearer header at all.
  AuthResult r;
  std::string url;
  auth.Check(s, "Basic dXNlcjpwYXNz", kAudiences, now, r, url);
  EXPECT_EQ(r.failure, "Authorization is not a Bearer token");
  auth.Check(s, "", kAudiences, now, r, url);
  EXPECT_EQ(r.failure, "no Authorization header");
}

// Epic sends sub and nbf (about five minutes before iat), RS384: accepted; so are an aud array and the
// clock skew either side.
TEST(Jwt, EpicsClaimsAndTheClockSkewAreAccepted) {
  SigningKey key = SigningKey::Generate("RS384", "epic-1");
  AuthSettings s;
  s.clients = {ClientWithKeys("https://fhir.epic.example/interconnect/api/FHIR/R4", key.PublicJwks())};
  s.clients[0].sub = "client-id";
  const int64_t now = Now();
  Authenticator auth(Http());
  const std::string iss = s.clients[0].iss;
  EXPECT_TRUE(CheckToken(auth, s,
                         key.Sign(Claims(iss, kAud, now, "\"sub\":\"client-id\",\"nbf\":" + std::to_string(now - 300))),
                         now)
                  .ok);
  // iat 30 s ahead of this clock (within the skew), aud an array holding this service's URL.
  const std::string claims = "{\"iss\":\"" + iss + "\",\"aud\":[\"https://elsewhere.example\",\"" + kAud +
                             "\"],\"iat\":" + std::to_string(now + 30) + ",\"exp\":" + std::to_string(now + 330) +
                             ",\"jti\":\"epic-jti-1\",\"sub\":\"client-id\"}";
  const AuthResult r = CheckToken(auth, s, key.Sign(claims), now);
  EXPECT_TRUE(r.ok) << r.failure << " " << claims;
}

TEST(Jwt, JwksParsingKeepsOnlyUsableSignatureKeys) {
  SigningKey ec = SigningKey::Generate("ES256", "ec");
  SigningKey rsa = SigningKey::Generate("RS256", "rsa");
  const std::string jwks = "{\"keys\":[" + ec.PublicJwk() + "," + rsa.PublicJwk() +
                           R"(,{"kty":"EC","crv":"P-521","kid":"p521","x":"AA","y":"AA"},)"
                           R"({"kty":"oct","kid":"hmac","k":"c2VjcmV0"},)"
                           R"({"kty":"EC","crv":"P-256","kid":"off-curve","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}]})";
  auto keys = ParseJwks(jwks);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_TRUE((*keys)[0].Fits(JwsAlg::kES256));
  EXPECT_FALSE((*keys)[0].Fits(JwsAlg::kES384));  // the JWK says ES256, and the curve is P-256
  EXPECT_TRUE((*keys)[1].Fits(JwsAlg::kRS256));
  EXPECT_FALSE((*keys)[1].Fits(JwsAlg::kRS384));  // its own "alg" is RS256
  EXPECT_FALSE(ParseJwks("[]").ok());
  EXPECT_FALSE(ParseJwks("not json").ok());
  EXPECT_EQ(Base64UrlEncode("\xff\x01"), "_wE");
  EXPECT_EQ(*Base64UrlDecode("_wE"), "\xff\x01");
  EXPECT_FALSE(Base64UrlDecode("_wE=").has_value());
  EXPECT_FALSE(Base64UrlDecode("_wF").has_value());  // non-zero trailing bits
  // Every byte value survives a round trip, at every length modulo 3; nothing but base64url is accepted.
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n <= 3; ++n) EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(all.substr(n))), all.substr(n));
  EXPECT_EQ(*Base64UrlDecode(""), "");
  EXPECT_FALSE(Base64UrlDecode("A").has_value());  // no length leaves one digit over
  using namespace std::string_view_literals;
  for (std::string_view bad : {"ab+c"sv, "ab/c"sv, "ab c"sv, "ab.c"sv, "ab\xc3\xa9"sv, "abc\x80"sv, "ab\0c"sv}) {
    EXPECT_FALSE(Base64UrlDecode(bad).has_value()) << bad;
  }
}

TEST(Jwt, TheReplayCacheIsBoundedAndForgetsExpiredTokens) {
  SigningKey key = SigningKey::Generate("ES256", "k");
  AuthSettings s;
  s.clients = {ClientWithKeys(kEhr, key.PublicJwks())};
  s.replay_cache = 100;
  Authenticator auth(Http());
  const int64_t now = Now();
  const std::string first = key.Sign(Claims(kEhr, kAud, now - 200));  // expires first (in 100 s)
  EXPECT_TRUE(CheckToken(auth, s, first, now).ok);
  for (int i = 0; i < 300; ++i) EXPECT_TRUE(CheckToken(auth, s, key.Sign(Claims(kEhr, kAud, now)), now).ok);
  // 300 later-expiring tokens pushed the first out of a 100-entry cache (memory stays bounded): it would be
  // taken again, so the cache must be sized for the call rate × token lifetime (default 100,000).
  EXPECT_TRUE(CheckToken(auth, s, first, now).ok);
  EXPECT_EQ(CheckToken(auth, s, first, now).failure, "jti replayed");
}

// ------------------------------------------------------------------ over HTTP, the real server

std::string Call(uint16_t port, const std::string& method, const std::string& target, const std::string& token,
                 HttpResult* out = nullptr, const std::string& body = "") {
  TestConnection c(port);
  c.Write(RawRequest(method, target, body, method == "POST" ? "application/json" : "",
                     token.empty() ? "" : "Authorization: Bearer " + token + "\r\n"));
  HttpResult r = c.Read();
  if (out != nullptr) *out = r;
  return std::to_string(r.status);
}

class AuthHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ca_ = new TestCa();
    keys_ = new FhirTestServer(ca_->Issue("127.0.0.1", {"IP:127.0.0.1"}));
  }
  static void TearDownTestSuite() {
    delete keys_;
    delete ca_;
  }
  void SetUp() override { keys_->Clear(); }

  ServerSettings Settings(const SigningKey& key) {
    ServerSettings s = TestSettings();
    s.auth.required = true;
    s.fhir_ca_file = ca_->cert();
    TrustedClient c;
    c.iss = kEhr;
    c.jku = {keys_->base() + "/jwks.json"};
    s.auth.clients = {c};
    keys_->Serve("/jwks.json", key.PublicJwks());
    return s;
  }
  std::string Jku() const { return "\"jku\":\"" + keys_->base() + "/jwks.json\""; }
  static std::string Aud(const std::string& path) { return "http://127.0.0.1" + path; }

  static TestCa* ca_;
  static FhirTestServer* keys_;
};
TestCa* AuthHttp::ca_ = nullptr;
FhirTestServer* AuthHttp::keys_ = nullptr;

const std::string kService = "/cds-services/achilles-patient-view";

TEST_F(AuthHttp, SignedCallsPassAndEveryOtherIs401WithoutDetail) {
  SigningKey key = SigningKey::Generate("ES384", "kid-1");
  TestServer server(Settings(key), ConfigDir(), TestToday);
  const std::string body = PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")}));
  const int64_t now = Now();

  HttpResult r;
  EXPECT_EQ(Call(server.port(), "POST", kService, key.Sign(Claims(kEhr, Aud(kService), now), Jku()), &r, body), "200");
  EXPECT_NE(r.body.find("start a loading programme"), std::string::npos) << r.body;
  EXPECT_EQ(Call(server.port(), "GET", "/cds-services", key.Sign(Claims(kEhr, Aud("/cds-services"), now), Jku())), "200");

  EXPECT_EQ(Call(server.port(), "POST", kService, "", &r, body), "401");
  EXPECT_EQ(r.header("www-authenticate"), "Bearer realm=\"achilles-cds\"");
  EXPECT_NE(r.body.find("\"code\":\"login\""), std::string::npos) << r.body;
  const std::string generic = r.body;
  // A token for the discovery URL is not one for the service; the answer says no more than for no token.
  EXPECT_EQ(Call(server.port(), "POST", kService, key.Sign(Claims(kEhr, Aud("/cds-services"), now), Jku()), &r, body), "401");
  EXPECT_EQ(r.body, generic);
  EXPECT_EQ(Call(server.port(), "GET", "/cds-services", ""), "401");
  EXPECT_EQ(Call(server.port(), "POST", "/cds-services/no-such-service", ""), "401");
  EXPECT_EQ(Call(server.port(), "POST", kService + "/feedback", ""), "401");

  // What needs no token: the preflight (a browser cannot add one), the health check, a card's rule page.
  EXPECT_EQ(Call(server.port(), "OPTIONS", kService, ""), "204");
  EXPECT_EQ(Call(server.port(), "GET", "/healthz", ""), "200");
  EXPECT_EQ(Call(server.port(), "GET", "/rules/eccentric-rehab", ""), "200");
}

// Keys from an allowed jku over HTTPS: fetched once and cached; an unknown kid fetches again at most once per
// keyRefreshSeconds (a flood of bad tokens is not a flood of fetches); a rotated key is picked up.
TEST_F(AuthHttp, KeySetsAreFetchedCachedAndRefreshedAtMostOncePerInterval) {
  SigningKey key = SigningKey::Generate("RS384", "kid-1");
  ServerSettings s = Settings(key);
  s.auth.key_refresh = std::chrono::seconds(3600);
  TestServer server(s, ConfigDir(), TestToday);
  const std::string path = "/cds-services";
  const int64_t now = Now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Call(server.port(), "GET", path, key.Sign(Claims(kEhr, Aud(path), now), Jku())), "200");
  SigningKey unknown = SigningKey::Generate("RS384", "kid-unknown");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Call(server.port(), "GET", path, unknown.Sign(Claims(kEhr, Aud(path), now), Jku())), "401");
  std::string seen = keys_->Seen();
  std::size_t fetches = 0;
  for (std::size_t at = seen.find("/jwks.json"); at != std::string::npos; at = seen.find("/jwks.json", at + 1)) ++fetches;
  EXPECT_EQ(fetches, 1u) << seen;

  // With a short refresh interval, a rotated key (a new kid in the set) is fetched and accepted.
  keys_->Clear();
  keys_->Serve("/jwks.json", key.PublicJwks());
  s.auth.key_refresh = std::chrono::seconds(0);
  TestServer rotating(s, ConfigDir(), TestToday);
  EXPECT_EQ(Call(rotating.port(), "GET", path, key.Sign(Claims(kEhr, Aud(path), now), Jku())), "200");
  SigningKey next = SigningKey::Generate("ES256", "kid-2");
  keys_->Serve("/jwks.json", "{\"keys\":[" + key.PublicJwk() + "," + next.PublicJwk() + "]}");
  EXPECT_EQ(Call(rotating.port(), "GET", path, next.Sign(Claims(kEhr, Aud(path), now), Jku())), "200");
}

TEST_F(AuthHttp, AKeySetBehindAnUntrustedCertificateIsNotUsed) {
  SigningKey key = SigningKey::Generate("ES256", "kid-1");
  ServerSettings s = Settings(key);
  s.fhir_ca_file.clear();  // the test CA is not trusted now
  TestServer server(s, ConfigDir(), TestToday);
  EXPECT_EQ(Call(server.port(), "GET", "/cds-services", key.Sign(Claims(kEhr, Aud("/cds-services"), Now()), Jku())), "401");
}

// Where the site registered its base (publicBaseUrl), aud is that base, or the base plus the path called.
TEST_F(AuthHttp, ThePublicBaseUrlIsTheAudience) {
  SigningKey key = SigningKey::Generate("ES256", "kid-1");
  ServerSettings s = Settings(key);
  s.public_base_url = "https://cds.hospital.example";
  TestServer server(s, ConfigDir(), TestToday);
  const int64_t now = Now();
  for (const std::string aud : {"https://cds.hospital.example", "https://cds.hospital.example/cds-services"}) {
    EXPECT_EQ(Call(server.port(), "GET", "/cds-services", key.Sign(Claims(kEhr, aud, now), Jku())), "200") << aud;
  }
  // The URL as this connection saw it no longer counts: only the configured base does.
  EXPECT_EQ(Call(server.port(), "GET", "/cds-services", key.Sign(Claims(kEhr, Aud("/cds-services"), now), Jku())), "401");
}

// A client restricted to its own FHIR servers cannot point the service (or its access token) anywhere else:
// a fhirServer off the list is never contacted and its keys count as unavailable; one on it is fetched.
TEST_F(AuthHttp, AClientsFhirServersBoundWhereTheServiceFetches) {
  SigningKey key = SigningKey::Generate("ES384", "kid-1");
  ServerSettings s = Settings(key);
  // Not a timing test: room for the sanitizer build, whose full-stack malloc tracing is slow under load.
  s.fhir_fetch.deadline = std::chrono::milliseconds(20'000);
  const std::string record = PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")}));
  std::size_t n = 0;
  keys_->Load(PrefetchedResources(record, n));
  const std::string call = WithoutPrefetch(record, keys_->base() + "/", "token-abc");
  const int64_t now = Now();
  {
    s.auth.clients[0].fhir_servers = {"https://fhir.ehr.example.org/R4", keys_->base() + "/other"};
    TestServer server(s, ConfigDir(), TestToday);
    HttpResult r;
    EXPECT_EQ(Call(server.port(), "POST", kService, key.Sign(Claims(kEhr, Aud(kService), now), Jku()), &r, call), "412");
    EXPECT_NE(r.body.find("not one of the calling client's fhirServers"), std::string::npos) << r.body;
    const std::string seen = keys_->Seen();
    EXPECT_EQ(seen.find("/Condition"), std::string::npos) << seen;  // only the key set was asked for
    EXPECT_EQ(seen.find("token-abc"), std::string::npos) << seen;
  }
  s.auth.clients[0].fhir_servers = {keys_->base()};
  TestServer server(s, ConfigDir(), TestToday);
  HttpResult r;
  EXPECT_EQ(Call(server.port(), "POST", kService, key.Sign(Claims(kEhr, Aud(kService), now), Jku()), &r, call), "200")
      << r.body;
  EXPECT_NE(r.body.find("start a loading programme"), std::string::npos) << r.body;
  EXPECT_NE(keys_->Seen().find("/Condition"), std::string::npos);
}

TEST(FhirServers, AllowedIsTheBaseOrUnderItAtAPathBoundary) {
  const std::vector<std::string> allowed = {"https://ehr.example.org/fhir"};
  EXPECT_TRUE(FhirServerAllowed("https://ehr.example.org/fhir", allowed));
  EXPECT_TRUE(FhirServerAllowed("https://ehr.example.org/fhir/", allowed));
  EXPECT_TRUE(FhirServerAllowed("https://ehr.example.org/fhir/R4", allowed));
  EXPECT_FALSE(FhirServerAllowed("https://ehr.example.org/fhir-other", allowed));
  EXPECT_FALSE(FhirServerAllowed("https://ehr.example.org.evil.example/fhir", allowed));
  EXPECT_FALSE(FhirServerAllowed("https://ehr.example.org", allowed));
  EXPECT_FALSE(FhirServerAllowed("http://ehr.example.org/fhir", allowed));
  EXPECT_TRUE(FhirServerAllowed("http://anything.example", {}));  // no list: any
}

// "authentication" in server.json: what a site writes is read as written (key files under the configuration
// folder), and every mistake is a configuration error naming the field, not a service that trusts too much.
TEST(AuthConfig, TrustedClientsAreReadAndEveryMistakeNamesItsField) {
  TempDir dir;
  SigningKey key = SigningKey::Generate("RS384", "epic-1");
  std::filesystem::create_directories(dir.Join("keys"));
  WriteFile(dir.Join("keys/ehr.jwks.json"), key.PublicJwks());
  auto load = [&](const std::string& clients) {
    WriteFile(dir.Join("server.json"), R"({"authentication": {"required": true, "clockSkewSeconds": 30,
        "trustedClients": [)" + clients + "]}}");
    return ServerSettings::Load(dir.Join("server.json"), dir.path());
  };
  const ServerSettings ok = load(R"({"iss": "https://ehr.example.org/fhir", "sub": "client-1",
      "jku": ["https://ehr.example.org/jwks"], "jwksFile": "keys/ehr.jwks.json", "tenants": ["t1"],
      "fhirServers": ["https://ehr.example.org/fhir/"]})");
  ASSERT_EQ(ok.auth.clients.size(), 1u);
  const TrustedClient& c = ok.auth.clients[0];
  EXPECT_EQ(c.sub, "client-1");
  EXPECT_EQ(c.jku, std::vector<std::string>{"https://ehr.example.org/jwks"});
  EXPECT_EQ(c.tenants, std::vector<std::string>{"t1"});
  EXPECT_EQ(c.fhir_servers, std::vector<std::string>{"https://ehr.example.org/fhir"});
  ASSERT_NE(c.file_keys, nullptr);
  EXPECT_EQ(c.file_keys->size(), 1u);
  EXPECT_EQ(ok.auth.clock_skew, std::chrono::seconds(30));

  const struct {
    std::string clients, says;
  } bad[] = {
      {R"({"iss": "https://a", "jku": ["http://a/jwks"]})", "jku: key set URLs must be https://"},
      {R"({"iss": "https://a"})", "a trusted client needs jwksFile, jku, or both"},
      {R"({"iss": "https://a", "jwksFile": "keys/missing.json"})", "cannot open file"},
      {R"({"iss": "https://a", "jwksFile": "server.json"})", "jwksFile"},
      {R"({"iss": "https://a", "jku": ["https://a/k"]}, {"iss": "https://a", "jku": ["https://a/k"]})", "two trusted clients"},
      {R"({"iss": "https://a", "jku": ["https://a/k"], "fhirServers": ["ftp://a"]})", "fhirServers: FHIR server base URLs"},
      {R"({"iss": "https://a", "jku": ["https://a/k"], "tennants": ["x"]})", "tennants"},
  };
  for (const auto& b : bad) {
    try {
      load(b.clients);
      ADD_FAILURE() << "accepted: " << b.clients;
    } catch (const fhir::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(b.says), std::string::npos) << e.what();
    }
  }
}

// The shipped production settings refuse an unsigned call; the development settings `make run` uses turn
// authentication off and say so in one loud line; the sandbox settings trust the sandbox's published key
// only. The log says what failed, never the token.
TEST(AuthConfig, ProductionRefusesUnsignedCallsAndDevelopmentSaysAuthenticationIsOff) {
  const std::string body = PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")}));
  {
    ServeProcess production({"--config", ConfigDir(), "--settings", ConfigDir() + "/server.json"});
    ASSERT_NE(production.port(), 0);
    EXPECT_EQ(Call(production.port(), "POST", kService, "", nullptr, body), "401");
    EXPECT_EQ(Call(production.port(), "POST", kService, "forged.token.value", nullptr, body), "401");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::string log = production.err();
    EXPECT_NE(log.find("no trusted clients are configured"), std::string::npos) << log;
    EXPECT_NE(log.find("refused 401 unauthorized"), std::string::npos) << log;
    EXPECT_NE(log.find("auth: malformed token"), std::string::npos) << log;
    EXPECT_EQ(log.find("forged.token.value"), std::string::npos) << log;
  }
  {
    ServeProcess development({"--config", ConfigDir(), "--settings", ConfigDir() + "/server.development.json"});
    ASSERT_NE(development.port(), 0);
    EXPECT_EQ(Call(development.port(), "POST", kService, "", nullptr, body), "200");
    EXPECT_NE(development.err().find("WARNING: authentication is OFF"), std::string::npos) << development.err();
  }
  {
    ServeProcess sandbox({"--config", ConfigDir(), "--settings", ConfigDir() + "/server.sandbox.json"});
    ASSERT_NE(sandbox.port(), 0);
    EXPECT_EQ(Call(sandbox.port(), "POST", kService, "", nullptr, body), "401");
    // The sandbox's iss with a key that is not the sandbox's: refused.
    SigningKey other = SigningKey::Generate("ES384", "44823f3d-0b01-4a6c-a80e-b9d3e8a7226f");
    const std::string token = other.Sign(Claims("https://sandbox.cds-hooks.org", "http://127.0.0.1" + kService, Now()));
    EXPECT_EQ(Call(sandbox.port(), "POST", kService, token, nullptr, body), "401");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_NE(sandbox.err().find("auth: bad signature (iss https://sandbox.cds-hooks.org)"), std::string::npos)
        << sandbox.err();
    EXPECT_EQ(sandbox.err().find(token), std::string::npos);
  }
}

}  // namespace
}  // namespace cds::hooks
