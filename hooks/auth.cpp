// The checks of §Trusting CDS Clients in the best-practice order, a key-set cache with rate-limited refresh,
// and a replay cache bounded in size whose entries expire with their token.
#include "hooks/auth.h"

#include <map>
#include <mutex>
#include <queue>
#include <unordered_map>

#include "fhir/json_node.h"

namespace cds::hooks {
namespace {

namespace json = fhir::json;
using Clock = std::chrono::steady_clock;

bool IEqualsPrefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  }
  return true;
}

const VerifyKey* FindKey(const std::vector<VerifyKey>* keys, std::string_view kid) {
  if (keys == nullptr) return nullptr;
  for (const VerifyKey& k : *keys) {
    if (k.kid() == kid) return &k;
  }
  return nullptr;
}

// An integer NumericDate claim (RFC 7519 §2), or nullopt.
std::optional<int64_t> NumericDate(const fhir::JsonNode* claims, std::string_view name) {
  const auto v = json::Number(json::Member(claims, name));
  if (!v || *v < 0 || *v > 1e12) return std::nullopt;
  return static_cast<int64_t>(*v);
}

bool AudienceMatches(const fhir::JsonNode* aud, const std::vector<std::string>& audiences) {
  auto one = [&](std::string_view a) {
    for (const std::string& want : audiences) {
      if (a == want) return true;
    }
    return false;
  };
  if (json::IsString(aud)) return one(json::String(aud));
  for (std::size_t i = 0, n = json::Size(aud); i < n; ++i) {
    if (one(json::String(json::At(aud, i)))) return true;
  }
  return false;
}

}  // namespace

struct Authenticator::Impl {
  std::shared_ptr<fhir::HttpGetter> http;

  struct KeySet {
    std::shared_ptr<const std::vector<VerifyKey>> keys;
    bool fetched = false;
    bool in_flight = false;
    Clock::time_point last_fetch;
    std::vector<std::function<void()>> waiters;
  };
  std::mutex keys_mu;
  std::map<std::string, KeySet> key_sets;

  std::mutex replay_mu;
  std::unordered_map<std::string, int64_t> seen;  // iss "\n" jti → exp
  std::priority_queue<std::pair<int64_t, std::string>, std::vector<std::pair<int64_t, std::string>>, std::greater<>>
      expiry;

  // True when jti is new (and now remembered); false for a replay.
  bool Remember(const std::string& key, int64_t exp, int64_t now, std::size_t capacity) {
    std::lock_guard<std::mutex> lock(replay_mu);
    auto evict_top = [&] {
      auto it = seen.find(expiry.top().second);
      if (it != seen.end() && it->second == expiry.top().first) seen.erase(it);
      expiry.pop();
    };
    while (!expiry.empty() && expiry.top().first < now) evict_top();  // expired tokens cannot be replayed anyway
    if (seen.count(key) != 0) return false;
    while (!expiry.empty() && seen.size() >= capacity) evict_top();  // full: the soonest to expire goes first
    seen.emplace(key, exp);
    expiry.emplace(exp, key);
    return true;
  }
};

Authenticator::Authenticator(std::shared_ptr<fhir::HttpGetter> http) : impl_(std::make_shared<Impl>()) {
  impl_->http = std::move(http);
}
Authenticator::~Authenticator() = default;

Authenticator::Step Authenticator::Check(const AuthSettings& settings, std::string_view authorization,
                                         const std::vector<std::string>& audiences, int64_t now, AuthResult& result,
                                         std::string& keys_url) {
  result = AuthResult{};
  auto fail = [&](const char* reason, std::string why) {
    result.ok = false;
    result.reason = reason;
    result.failure = std::move(why);
    return Step::kDone;
  };
  if (authorization.empty()) return fail("no_token", "no Authorization header");
  if (!IEqualsPrefix(authorization, "Bearer ")) return fail("not_bearer", "Authorization is not a Bearer token");
  std::string_view token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  auto jwt = DecodeJwt(token);
  if (!jwt) return fail("malformed", "malformed token: " + jwt.error().message);

  // 1. The header.
  const fhir::JsonNode* header = jwt->header.root();
  const std::string_view typ = json::StringAt(header, "typ");
  if (typ.size() != 3 || !IEqualsPrefix(typ, "JWT")) return fail("typ", "typ is not JWT");
  const auto alg = ParseJwsAlg(json::StringAt(header, "alg"));
  if (!alg) return fail("alg", "alg not accepted (ES256, ES384, RS256, RS384 only)");
  const std::string_view kid = json::StringAt(header, "kid");
  if (kid.empty()) return fail("kid", "no kid in the header");

  // 2. iss trusted (and sub, when the client names one).
  const fhir::JsonNode* claims = jwt->claims.root();
  const std::string_view iss = json::StringAt(claims, "iss");
  const TrustedClient* client = nullptr;
  for (const TrustedClient& c : settings.clients) {
    if (c.iss == iss) client = &c;
  }
  if (client == nullptr) return fail("iss", "iss is not a trusted client");
  result.iss = client->iss;
  if (!client->sub.empty() && json::StringAt(claims, "sub") != client->sub) return fail("sub", "sub is not the client's");

  // 3. jku on the client's allowlist (a client with keys only out of band ignores a jku it did not list).
  const std::string_view jku = json::StringAt(header, "jku");
  const bool jku_sent = json::Member(header, "jku") != nullptr;
  bool jku_allowed = false;
  for (const std::string& u : client->jku) jku_allowed = jku_allowed || u == jku;
  if (jku_sent && !client->jku.empty() && !jku_allowed) return fail("jku", "jku is not on the client's allowlist");

  // 4. aud: the URL called.
  if (!AudienceMatches(json::Member(claims, "aud"), audiences)) return fail("aud", "aud is not this service's URL");

  // 5. Times, with the clock skew either way.
  const int64_t skew = settings.clock_skew.count();
  const auto exp = NumericDate(claims, "exp");
  const auto iat = NumericDate(claims, "iat");
  if (!exp || !iat) return fail("times_missing", "exp or iat missing");
  if (now > *exp + skew) return fail("expired", "expired");
  if (*iat > now + skew) return fail("iat_future", "issued in the future");
  if (json::Member(claims, "nbf") != nullptr) {
    const auto nbf = NumericDate(claims, "nbf");
    if (!nbf) return fail("nbf", "nbf malformed");
    if (*nbf > now + skew) return fail("nbf", "not yet valid (nbf)");
  }

  // 6. tenant.
  if (!client->tenants.empty()) {
    const std::string_view tenant = json::StringAt(claims, "tenant");
    bool known = false;
    for (const std::string& t : client->tenants) known = known || t == tenant;
    if (!known) return fail("tenant", "tenant is not one of the client's");
  }

  // 7. The signature, with the key the kid names.
  const VerifyKey* key = nullptr;
  std::shared_ptr<const std::vector<VerifyKey>> fetched;  // keeps a fetched set alive while it is used
  key = FindKey(client->file_keys.get(), kid);
  if (key == nullptr && jku_sent && jku_allowed) {
    std::lock_guard<std::mutex> lock(impl_->keys_mu);
    Impl::KeySet& set = impl_->key_sets[std::string(jku)];
    fetched = set.keys;
    key = FindKey(fetched.get(), kid);
    if (key == nullptr) {
      const bool recently = set.fetched && Clock::now() - set.last_fetch < settings.key_refresh;
      if (!recently || set.in_flight) {
        keys_url = std::string(jku);
        return Step::kNeedKeys;
      }
    }
  }
  if (key == nullptr) return fail("unknown_kid", "no key with that kid");
  if (!key->Fits(*alg)) return fail("key_alg", "the key does not fit the alg");
  if (!VerifySignature(*jwt, *key)) return fail("signature", "bad signature");

  // 8. jti never seen before (kept until the token expires).
  const std::string_view jti = json::StringAt(claims, "jti");
  if (jti.empty()) return fail("jti_missing", "no jti");
  if (!impl_->Remember(client->iss + "\n" + std::string(jti), *exp + skew, now, settings.replay_cache)) {
    return fail("replay", "jti replayed");
  }
  result.ok = true;
  result.fhir_servers = client->fhir_servers;
  return Step::kDone;
}

void Authenticator::FetchKeys(const std::string& url, std::function<void()> done) {
  {
    std::lock_guard<std::mutex> lock(impl_->keys_mu);
    Impl::KeySet& set = impl_->key_sets[url];
    set.waiters.push_back(std::move(done));
    if (set.in_flight) return;  // joins the fetch already running
    set.in_flight = true;
    set.last_fetch = Clock::now();
  }
  fhir::HttpGetRequest request;
  request.url = url;
  request.accept = "application/json";
  request.timeout = std::chrono::seconds(2);
  request.max_bytes = 1024 * 1024;
  std::shared_ptr<Impl> impl = impl_;  // the fetch may outlive this Authenticator
  impl_->http->Get(std::move(request), std::make_shared<fhir::HttpCancel>(), [impl, url](fhir::HttpGetResult r) {
    std::shared_ptr<const std::vector<VerifyKey>> keys;
    if (r.error.empty() && r.status == 200) {
      auto parsed = ParseJwks(std::move(r.body));
      if (parsed) keys = std::make_shared<const std::vector<VerifyKey>>(std::move(*parsed));
    }
    std::vector<std::function<void()>> waiters;
    {
      std::lock_guard<std::mutex> lock(impl->keys_mu);
      Impl::KeySet& set = impl->key_sets[url];
      if (keys) set.keys = std::move(keys);  // a failed fetch keeps the keys it had
      set.fetched = true;
      set.in_flight = false;
      waiters.swap(set.waiters);
    }
    for (auto& w : waiters) w();
  });
}

}  // namespace cds::hooks
