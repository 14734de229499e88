// Reading server.json with the same strict reader as the rule files.
#include "hooks/server_settings.h"

#include "cards/config_reader.h"
#include "fhir/parsed_json.h"

namespace cds::hooks {

ServerSettings ServerSettings::Load(const std::string& file) {
  auto doc = fhir::ParsedJson::ReadFile(file);
  if (!doc) throw fhir::ConfigError(file, "", doc.error().message);
  cards::ConfigReader r(doc->root(), file);
  ServerSettings s;
  auto ms = [&](const char* key, std::chrono::milliseconds fallback) {
    return std::chrono::milliseconds(
        static_cast<long>(r.Number(key, 1, 3'600'000, static_cast<double>(fallback.count()))));
  };
  s.address = r.OptionalString("address", s.address);
  s.port = static_cast<uint16_t>(r.Number("port", 0, 65535, s.port));
  s.threads = static_cast<unsigned>(r.Number("threads", 0, 256, s.threads));
  s.body_limit = static_cast<std::size_t>(r.Number("bodyLimitBytes", 1024, 1 << 30, static_cast<double>(s.body_limit)));
  s.header_limit =
      static_cast<std::size_t>(r.Number("headerLimitBytes", 1024, 1 << 20, static_cast<double>(s.header_limit)));
  s.idle_timeout = ms("idleTimeoutMs", s.idle_timeout);
  s.read_timeout = ms("readTimeoutMs", s.read_timeout);
  s.write_timeout = ms("writeTimeoutMs", s.write_timeout);
  s.shutdown_grace = ms("shutdownGraceMs", s.shutdown_grace);
  if (r.Has("corsAllowedOrigins")) {
    s.cors_origins = r.Strings("corsAllowedOrigins");
    if (s.cors_origins.empty()) r.Fail("corsAllowedOrigins", "list at least one origin, or \"*\"");
  }
  s.access_log = r.Bool("accessLog", s.access_log);
  r.Finish();
  return s;
}

}  // namespace cds::hooks
