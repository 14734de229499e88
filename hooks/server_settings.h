// HTTP server settings from config/server.json (every key optional; defaults below).
//
//   ServerSettings s = ServerSettings::Load("config/server.json");   // throws ConfigError
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/fhir_client.h"
#include "hooks/auth.h"

namespace cds::hooks {

struct ServerSettings {
  // Applied only at start-up (the listener and its limits): a reload that changes them says so in the log.
  std::string address = "0.0.0.0";
  uint16_t port = 8080;
  unsigned threads = 0;                            // I/O threads; 0 = one per core
  std::size_t body_limit = 4 * 1024 * 1024;        // larger bodies → 413
  std::size_t header_limit = 16 * 1024;            // larger request headers (and chunk metadata) → 431
  std::size_t max_connections = 1024;              // more → 503 with Retry-After, closed
  std::size_t max_inflight_body = 64 * 1024 * 1024;  // request bodies held at once, all connections → 503
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive connection with no request
  std::chrono::milliseconds read_timeout{15'000};  // a started request must arrive within this
  std::chrono::milliseconds write_timeout{15'000};
  std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests get this long after SIGTERM
  // HTTPS (--tls-cert / --tls-key): PEM certificate chain and private key; both empty → plain HTTP. SIGHUP
  // reloads both files (a renewed certificate needs no restart).
  std::string tls_cert_file, tls_key_file;
  // Applied on reload (read per request).
  std::vector<std::string> cors_origins{"*"};  // "*" or exact origins
  bool access_log = false;                     // one content-free line per request
  std::string public_base_url;                 // https://cds.example.org: where /rules/{id} pages are linked from
  std::string ehr_profile = "generic";         // config/ehr-profiles/<name>.json
  // "fhirFetch": what a call may fetch from fhirServer when its prefetch lacks data.
  bool fhir_fetch_enabled = true;
  fhir::FhirFetchPolicy fhir_fetch;
  // "authentication": which EHRs may call (CDS Hooks §Trusting CDS Clients). Required unless a
  // configuration turns it off (development).
  AuthSettings auth;
  // "audit": the card log and feedback store (start-up only). The database: "sqlite:PATH" or a path (relative
  // to the working directory), or "postgresql://…"; default DATA_DIR/audit.db. The pseudonym secret:
  // pseudonymKeyFile (relative to the configuration folder), else $ACHILLES_AUDIT_KEY, else generated once
  // into DATA_DIR/pseudonym.key.
  struct Audit {
    bool enabled = true;
    std::string data_dir = "data";
    std::string database;  // "" = sqlite:DATA_DIR/audit.db
    std::string pseudonym_key_file;
    std::size_t queue_capacity = 100'000;
    std::size_t batch_rows = 1'000;
    std::chrono::milliseconds flush_interval{100};
    bool snooze = true;                          // withhold a card the clinician already answered
    std::chrono::milliseconds follow_interval{1000};  // how often other replicas' feedback is read
    bool report_endpoint = false;                // GET /audit and /audit/report.json
    // An answer leaves once its cards survive the process being killed (a replica killed after answering has
    // lost none): at once when they are in the card journal, else once committed, or after durable_wait at
    // most: the advice never waits long on the audit trail.
    bool durable_before_answer = true;
    std::chrono::milliseconds durable_wait{1000};
    // The card journal, DATA_DIR/card-journal.N ("journalMb"; 0: none, and answers wait for their commit).
    std::size_t journal_bytes = 4u << 20;
  } audit;
  // "metrics": GET /metrics (Prometheus). Applied on reload. Prometheus cannot sign the JWT an EHR does, so by
  // default it is served to the addresses in allowFrom (loopback; a cluster lists its scrapers' network);
  // "access": "authentication" asks for the same signed JWT as /cds-services instead.
  struct Metrics {
    bool enabled = true;
    bool authenticate = false;
    std::vector<std::string> allow_from{"127.0.0.0/8", "::1/128"};  // CIDR ranges (or single addresses)
  } metrics;
  // "logFormat": "text" (one readable line) or "json" (one object a line, for log shippers). Start-up only.
  bool json_log = false;
  // Restart-only parts of "fhirFetch": the client's threads and extra trusted CAs.
  unsigned fhir_client_threads = 4;
  std::string fhir_ca_file;

  // Relative paths in it (jwksFile, caFile) are under the configuration folder `config_dir`.
  static ServerSettings Load(const std::string& file, const std::string& config_dir);
  // The restart-only settings whose values differ ("port", "threads", …).
  static std::vector<std::string> RestartNeeded(const ServerSettings& running, const ServerSettings& loaded);
  // Takes the reloadable settings from `loaded`.
  void ApplyReloadable(const ServerSettings& loaded);
};

// Whether `address` ("10.1.2.3", "::1", "::ffff:10.1.2.3") is in one of `ranges` ("10.0.0.0/8", "::1/128",
// "192.0.2.7"); false for an address that does not parse.
bool AddressInRanges(std::string_view address, const std::vector<std::string>& ranges);

}  // namespace cds::hooks
