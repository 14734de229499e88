// Reading server.json with the same strict reader as the rule files.
#include "hooks/server_settings.h"

#include "cards/config_reader.h"
#include "fhir/parsed_json.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include <boost/asio/ip/address.hpp>

namespace cds::hooks {

namespace {

std::string UnderConfig(const std::string& path, const std::string& config_dir) {
  return path.empty() || path.front() == '/' ? path : config_dir + "/" + path;
}

bool IsHttps(const std::string& u) { return u.rfind("https://", 0) == 0 && u.size() > 8; }

AuthSettings ReadAuth(cards::ConfigReader r, const std::string& config_dir) {
  AuthSettings a;
  a.required = r.Bool("required", a.required);
  a.clock_skew = std::chrono::seconds(static_cast<long>(r.Number("clockSkewSeconds", 0, 600, 60)));
  a.replay_cache = static_cast<std::size_t>(r.Number("replayCacheEntries", 100, 10'000'000, 100'000));
  a.key_refresh = std::chrono::seconds(static_cast<long>(r.Number("keyRefreshSeconds", 0, 86'400, 60)));
  for (cards::ConfigReader c : r.Objects("trustedClients")) {
    TrustedClient t;
    t.iss = c.String("iss");
    t.sub = c.OptionalString("sub");
    t.jku = c.Strings("jku");
    for (const std::string& u : t.jku) {
      if (!IsHttps(u)) c.Fail("jku", "key set URLs must be https:// (" + u + ")");
    }
    t.jwks_file = UnderConfig(c.OptionalString("jwksFile"), config_dir);
    t.tenants = c.Strings("tenants");
    t.fhir_servers = c.Strings("fhirServers");
    for (std::string& u : t.fhir_servers) {
      if (u.rfind("https://", 0) != 0 && u.rfind("http://", 0) != 0) {
        c.Fail("fhirServers", "FHIR server base URLs must be http(s):// (" + u + ")");
      }
      while (u.size() > 8 && u.back() == '/') u.pop_back();  // compared at a path boundary
    }
    if (t.jku.empty() && t.jwks_file.empty()) c.Fail("jwksFile", "a trusted client needs jwksFile, jku, or both");
    if (!t.jwks_file.empty()) {
      std::ifstream in(t.jwks_file, std::ios::binary);
      if (!in) c.Fail("jwksFile", t.jwks_file + ": cannot open file");
      std::ostringstream ss;
      ss << in.rdbuf();
      auto keys = ParseJwks(ss.str());
      if (!keys) c.Fail("jwksFile", t.jwks_file + ": " + keys.error().message);
      if (keys->empty()) c.Fail("jwksFile", t.jwks_file + ": no signature key with a kid this service can use");
      t.file_keys = std::make_shared<const std::vector<VerifyKey>>(std::move(*keys));
    }
    for (const TrustedClient& other : a.clients) {
      if (other.iss == t.iss) c.Fail("iss", "two trusted clients with iss " + t.iss);
    }
    c.Finish();
    a.clients.push_back(std::move(t));
  }
  r.Finish();
  return a;
}

}  // namespace

ServerSettings ServerSettings::Load(const std::string& file, const std::string& config_dir) {
  auto doc = fhir::ParsedJson::ReadFile(file);
  if (!doc) throw fhir::ConfigError(file, "", doc.error().message);
  cards::ConfigReader r(doc->root(), file);
  ServerSettings s;
  auto ms = [&](const char* key, std::chrono::milliseconds fallback) {
    return std::chrono::milliseconds(
        static_cast<long>(r.Number(key, 1, 3'600'000, static_cast<double>(fallback.count()))));
  };
  auto bytes = [&](const char* key, double min, double max, std::size_t fallback) {
    return static_cast<std::size_t>(r.Number(key, min, max, static_cast<double>(fallback)));
  };
  s.address = r.OptionalString("address", s.address);
  s.port = static_cast<uint16_t>(r.Number("port", 0, 65535, s.port));
  s.threads = static_cast<unsigned>(r.Number("threads", 0, 256, s.threads));
  s.body_limit = bytes("bodyLimitBytes", 1024, 1 << 30, s.body_limit);
  s.header_limit = bytes("headerLimitBytes", 1024, 1 << 20, s.header_limit);
  s.max_connections = bytes("maxConnections", 1, 1'000'000, s.max_connections);
  s.max_inflight_body = bytes("maxInFlightBodyBytes", 1024, 1ull << 36, s.max_inflight_body);
  if (s.max_inflight_body < s.body_limit)
    r.Fail("maxInFlightBodyBytes", "must be at least bodyLimitBytes (one full request must fit)");
  s.idle_timeout = ms("idleTimeoutMs", s.idle_timeout);
  s.read_timeout = ms("readTimeoutMs", s.read_timeout);
  s.write_timeout = ms("writeTimeoutMs", s.write_timeout);
  s.shutdown_grace = ms("shutdownGraceMs", s.shutdown_grace);
  if (r.Has("corsAllowedOrigins")) {
    s.cors_origins = r.Strings("corsAllowedOrigins");
    if (s.cors_origins.empty()) r.Fail("corsAllowedOrigins", "list at least one origin, or \"*\"");
  }
  s.access_log = r.Bool("accessLog", s.access_log);
  s.public_base_url = r.OptionalString("publicBaseUrl");
  if (!s.public_base_url.empty()) {
    const std::string& u = s.public_base_url;
    const bool absolute = (u.rfind("https://", 0) == 0 && u.size() > 8) || (u.rfind("http://", 0) == 0 && u.size() > 7);
    if (!absolute || u.back() == '/' || u.find_first_of(" ?#") != std::string::npos)
      r.Fail("publicBaseUrl", "must be an absolute http(s) URL without a trailing slash, query or fragment");
  }
  s.ehr_profile = r.OptionalString("ehrProfile", s.ehr_profile);
  for (char c : s.ehr_profile) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      r.Fail("ehrProfile", "must name a file of config/ehr-profiles/ (lower-case letters, digits, '-')");
  }
  if (r.Has("fhirFetch")) {
    cards::ConfigReader f = r.Object("fhirFetch");
    s.fhir_fetch_enabled = f.Bool("enabled", s.fhir_fetch_enabled);
    s.fhir_fetch.deadline = std::chrono::milliseconds(
        static_cast<long>(f.Number("deadlineMs", 10, 60'000, static_cast<double>(s.fhir_fetch.deadline.count()))));
    s.fhir_fetch.max_pages = static_cast<std::size_t>(f.Number("maxPages", 1, 1000, static_cast<double>(s.fhir_fetch.max_pages)));
    s.fhir_fetch.max_bytes =
        static_cast<std::size_t>(f.Number("maxBytes", 1024, 1ull << 32, static_cast<double>(s.fhir_fetch.max_bytes)));
    s.fhir_fetch.page_size = static_cast<std::size_t>(f.Number("pageSize", 0, 1000, static_cast<double>(s.fhir_fetch.page_size)));
    s.fhir_fetch.allow_plain_http = f.Bool("allowPlainHttp", s.fhir_fetch.allow_plain_http);
    s.fhir_client_threads = static_cast<unsigned>(f.Number("clientThreads", 1, 64, s.fhir_client_threads));
    s.fhir_ca_file = UnderConfig(f.OptionalString("caFile"), config_dir);
    f.Finish();
  }
  if (r.Has("authentication")) s.auth = ReadAuth(r.Object("authentication"), config_dir);
  if (r.Has("metrics")) {
    cards::ConfigReader m = r.Object("metrics");
    s.metrics.enabled = m.Bool("enabled", s.metrics.enabled);
    const std::string access = m.OptionalString("access", "allowlist");
    if (access != "allowlist" && access != "authentication")
      m.Fail("access", "must be \"allowlist\" (addresses in allowFrom) or \"authentication\" (a signed JWT)");
    s.metrics.authenticate = access == "authentication";
    if (m.Has("allowFrom")) s.metrics.allow_from = m.Strings("allowFrom");
    for (const std::string& range : s.metrics.allow_from) {
      const std::string address = range.substr(0, range.find('/'));
      if (!AddressInRanges(address, {range}))
        m.Fail("allowFrom", "\"" + range + "\" is not an IP address or CIDR range (10.0.0.0/8, ::1/128)");
    }
    m.Finish();
  }
  const std::string log_format = r.OptionalString("logFormat", "text");
  if (log_format != "text" && log_format != "json") r.Fail("logFormat", "must be \"text\" or \"json\"");
  s.json_log = log_format == "json";
  if (r.Has("audit")) {
    cards::ConfigReader a = r.Object("audit");
    s.audit.enabled = a.Bool("enabled", s.audit.enabled);
    s.audit.data_dir = a.OptionalString("dataDir", s.audit.data_dir);
    s.audit.database = a.OptionalString("database");
    s.audit.pseudonym_key_file = UnderConfig(a.OptionalString("pseudonymKeyFile"), config_dir);
    s.audit.queue_capacity = static_cast<std::size_t>(a.Number("queueCapacity", 100, 10'000'000, 100'000));
    s.audit.batch_rows = static_cast<std::size_t>(a.Number("batchRows", 1, 100'000, 1'000));
    s.audit.flush_interval = std::chrono::milliseconds(static_cast<long>(a.Number("flushIntervalMs", 1, 60'000, 100)));
    s.audit.snooze = a.Bool("snooze", s.audit.snooze);
    s.audit.follow_interval =
        std::chrono::milliseconds(static_cast<long>(a.Number("snoozeRefreshMs", 10, 600'000, 1000)));
    s.audit.report_endpoint = a.Bool("reportEndpoint", s.audit.report_endpoint);
    s.audit.durable_before_answer = a.Bool("durableBeforeAnswer", s.audit.durable_before_answer);
    s.audit.durable_wait = std::chrono::milliseconds(static_cast<long>(a.Number("durableWaitMs", 1, 10'000, 1000)));
    s.audit.journal_bytes = static_cast<std::size_t>(a.Number("journalMb", 0, 1024, 4)) << 20;
    a.Finish();
  }
  r.Finish();
  return s;
}

std::vector<std::string> ServerSettings::RestartNeeded(const ServerSettings& a, const ServerSettings& b) {
  std::vector<std::string> out;
  auto check = [&](bool same, const char* key) {
    if (!same) out.emplace_back(key);
  };
  check(a.address == b.address, "address");
  check(a.port == b.port, "port");
  check(a.threads == b.threads, "threads");
  check(a.body_limit == b.body_limit, "bodyLimitBytes");
  check(a.header_limit == b.header_limit, "headerLimitBytes");
  check(a.max_connections == b.max_connections, "maxConnections");
  check(a.max_inflight_body == b.max_inflight_body, "maxInFlightBodyBytes");
  check(a.idle_timeout == b.idle_timeout, "idleTimeoutMs");
  check(a.read_timeout == b.read_timeout, "readTimeoutMs");
  check(a.write_timeout == b.write_timeout, "writeTimeoutMs");
  check(a.shutdown_grace == b.shutdown_grace, "shutdownGraceMs");
  check(a.fhir_client_threads == b.fhir_client_threads, "fhirFetch.clientThreads");
  check(a.fhir_ca_file == b.fhir_ca_file, "fhirFetch.caFile");
  check(a.json_log == b.json_log, "logFormat");
  check(a.audit.enabled == b.audit.enabled && a.audit.data_dir == b.audit.data_dir &&
            a.audit.database == b.audit.database && a.audit.pseudonym_key_file == b.audit.pseudonym_key_file &&
            a.audit.queue_capacity == b.audit.queue_capacity && a.audit.batch_rows == b.audit.batch_rows &&
            a.audit.flush_interval == b.audit.flush_interval && a.audit.snooze == b.audit.snooze &&
            a.audit.follow_interval == b.audit.follow_interval && a.audit.report_endpoint == b.audit.report_endpoint &&
            a.audit.durable_before_answer == b.audit.durable_before_answer && a.audit.durable_wait == b.audit.durable_wait &&
            a.audit.journal_bytes == b.audit.journal_bytes,
        "audit");
  return out;
}

void ServerSettings::ApplyReloadable(const ServerSettings& loaded) {
  cors_origins = loaded.cors_origins;
  access_log = loaded.access_log;
  public_base_url = loaded.public_base_url;
  ehr_profile = loaded.ehr_profile;
  fhir_fetch_enabled = loaded.fhir_fetch_enabled;
  fhir_fetch = loaded.fhir_fetch;
  auth = loaded.auth;
  metrics = loaded.metrics;
}

bool AddressInRanges(std::string_view address, const std::vector<std::string>& ranges) {
  boost::system::error_code ec;
  auto ip = boost::asio::ip::make_address(std::string(address), ec);
  if (ec) return false;
  if (ip.is_v6() && ip.to_v6().is_v4_mapped()) ip = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, ip.to_v6());
  for (const std::string& range : ranges) {
    const std::size_t slash = range.find('/');
    auto net = boost::asio::ip::make_address(range.substr(0, slash), ec);
    if (ec || net.is_v4() != ip.is_v4()) continue;
    const int bits = net.is_v4() ? 32 : 128;
    int prefix = bits;
    if (slash != std::string::npos) {
      const std::string p = range.substr(slash + 1);
      if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos) continue;
      prefix = std::stoi(p);
      if (prefix > bits) continue;
    }
    std::array<unsigned char, 16> a{}, b{};
    if (ip.is_v4()) {
      const auto x = ip.to_v4().to_bytes(), y = net.to_v4().to_bytes();
      std::copy(x.begin(), x.end(), a.begin());
      std::copy(y.begin(), y.end(), b.begin());
    } else {
      a = ip.to_v6().to_bytes();
      b = net.to_v6().to_bytes();
    }
    bool match = true;
    for (int i = 0; i < prefix && match; ++i) {
      const int byte = i / 8, bit = 7 - i % 8;
      match = ((a[byte] >> bit) & 1) == ((b[byte] >> bit) & 1);
    }
    if (match) return true;
  }
  return false;
}

}  // namespace cds::hooks
