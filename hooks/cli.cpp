// Command-line parsing and the serve / evaluate commands.
#include "hooks/cli.h"

#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "audit/recorder.h"
#include "audit/store.h"
#include "cards/rules/escalation.h"
#include "fhir/fhir_client.h"
#include "fhir/result.h"
#include "hooks/app_state.h"
#include "hooks/audit_log.h"
#include "hooks/audit_report.h"
#include "hooks/http_server.h"
#include "hooks/log.h"
#include "hooks/metrics.h"
#include "hooks/operation_outcome.h"
#include "hooks/router.h"
#include "hooks/service_call.h"
#include "population/population_report.h"

namespace cds::hooks {
namespace {

constexpr int kOk = 0, kRefused = 1, kUsage = 2, kConfig = 3;

constexpr char kUsageText[] =
    "achilles-cds: CDS Hooks 2.0 decision support for Achilles tendinopathy\n"
    "\n"
    "Usage:\n"
    "  achilles-cds serve [--port N] [--threads N] [--config DIR] [--settings FILE]\n"
    "                     [--tls-cert CERT.pem --tls-key KEY.pem]\n"
    "      Serve the CDS Hooks API (GET /cds-services, POST /cds-services/{id}, POST\n"
    "      /cds-services/{id}/feedback, GET /rules/{id}, GET /healthz, GET /audit when enabled), recording\n"
    "      every card and feedback item in the audit store (settings \"audit\").\n"
    "      Settings come from FILE (default DIR/server.json: production, callers must sign their calls;\n"
    "      DIR/server.development.json turns that off); --port and --threads override it.\n"
    "      --tls-cert/--tls-key serve HTTPS (PEM certificate chain and key; SIGHUP reloads them).\n"
    "      SIGTERM/SIGINT stop gracefully; SIGHUP reloads the configuration.\n"
    "  achilles-cds evaluate --service ID [--today YYYY-MM-DD] [--config DIR] FILE\n"
    "      Print exactly the body a POST of FILE (a CDS Hooks request; - for stdin) to service ID would\n"
    "      return. A request the server would refuse exits 1 with the OperationOutcome on stderr.\n"
    "  achilles-cds explain --service ID [--today YYYY-MM-DD] [--config DIR] FILE\n"
    "      For every rule of service ID: whether it fired for FILE and why, or why not (which fact was\n"
    "      missing, which status excluded a condition, which threshold was not reached).\n"
    "  achilles-cds audit report [--db URL] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "                          [--format text|csv|json|html] [--out FILE] [--config DIR] [--settings FILE]\n"
    "      Guideline adherence from the card log: per service and rule, cards issued, distinct patients,\n"
    "      accepted, overridden, no response, acceptance rate, top override reasons, snoozed, weekly trend.\n"
    "      --db defaults to the settings' audit store; --to to today, --from to 12 weeks before (UTC).\n"
    "      html is one self-contained file for a browser. Output goes to FILE, else stdout.\n"
    "  achilles-cds audit population DIR [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--today YYYY-MM-DD]\n"
    "                          [--format text|csv|json|html|measurereport] [--subject-lists] [--out FILE]\n"
    "                          [--patients FILE.csv] [--jobs N] [--config DIR] [--settings FILE]\n"
    "      Guideline adherence over a FHIR Bulk Data export (DIR: Type[.NNN].ndjson[.gz]) for the patients\n"
    "      whose Achilles tendinopathy began in the period (--to defaults to today, --from to a year before;\n"
    "      follow-up runs to --today). --patients writes one row per cohort patient (pseudonymous key, onset,\n"
    "      each measure's outcome). --jobs defaults to the usable cores. Progress shows on a terminal only.\n"
    "  achilles-cds help | --help\n"
    "\n"
    "DIR defaults to $ACHILLES_CDS_CONFIG, else ./config.\n"
    "Exit codes: 0 ok, 1 request refused / cannot listen, 2 usage error, 3 configuration error.\n";

struct Args {
  std::string command;
  std::optional<std::string> port, threads, config, settings, service, today, tls_cert, tls_key;
  std::optional<std::string> db, from, to, format, out;  // audit report
  std::optional<std::string> patients, jobs;             // audit population
  bool subject_lists = false;
  std::vector<std::string> positional;
  bool help = false;
};

std::optional<Args> Parse(int argc, char** argv, std::string& error) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](std::optional<std::string>& out) {
      if (i + 1 >= argc) {
        error = arg + " needs a value";
        return false;
      }
      out = argv[++i];
      return true;
    };
    if (arg == "--help" || arg == "-h" || arg == "help") {
      a.help = true;
    } else if (arg == "--port") {
      if (!value(a.port)) return std::nullopt;
    } else if (arg == "--threads") {
      if (!value(a.threads)) return std::nullopt;
    } else if (arg == "--config") {
      if (!value(a.config)) return std::nullopt;
    } else if (arg == "--settings") {
      if (!value(a.settings)) return std::nullopt;
    } else if (arg == "--tls-cert") {
      if (!value(a.tls_cert)) return std::nullopt;
    } else if (arg == "--tls-key") {
      if (!value(a.tls_key)) return std::nullopt;
    } else if (arg == "--service") {
      if (!value(a.service)) return std::nullopt;
    } else if (arg == "--today") {
      if (!value(a.today)) return std::nullopt;
    } else if (arg == "--db") {
      if (!value(a.db)) return std::nullopt;
    } else if (arg == "--from") {
      if (!value(a.from)) return std::nullopt;
    } else if (arg == "--to") {
      if (!value(a.to)) return std::nullopt;
    } else if (arg == "--format") {
      if (!value(a.format)) return std::nullopt;
    } else if (arg == "--out") {
      if (!value(a.out)) return std::nullopt;
    } else if (arg == "--patients") {
      if (!value(a.patients)) return std::nullopt;
    } else if (arg == "--jobs") {
      if (!value(a.jobs)) return std::nullopt;
    } else if (arg == "--subject-lists") {
      a.subject_lists = true;
    } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
      error = "unknown option " + arg;
      return std::nullopt;
    } else if (a.command.empty()) {
      a.command = arg;
    } else {
      a.positional.push_back(arg);
    }
  }
  return a;
}

std::optional<long> ParseNumber(const std::string& s, long min, long max) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const long v = std::stol(s);
  return v >= min && v <= max ? std::optional<long>(v) : std::nullopt;
}

std::string ConfigDir(const Args& a) {
  if (a.config) return *a.config;
  if (const char* env = std::getenv("ACHILLES_CDS_CONFIG"); env != nullptr && *env != '\0') return env;
  return "config";
}

// The settings file: --settings, else DIR/server.json (defaults when there is none).
std::string SettingsFile(const Args& a) {
  return a.settings ? *a.settings : (std::filesystem::path(ConfigDir(a)) / "server.json").string();
}

ServerSettings LoadServerSettings(const Args& a) {
  const std::string file = SettingsFile(a);
  std::error_code ec;
  const bool exists = std::filesystem::exists(file, ec);
  if (ec) throw fhir::ConfigError(file, "", ec.message());
  if (!exists && a.settings) throw fhir::ConfigError(file, "", "file not found");
  return exists ? ServerSettings::Load(file, ConfigDir(a)) : ServerSettings{};
}

// Waits for a call that is fetching from fhirServer (the command line has no event loop to return to).
fhir::Result<std::string> Await(const std::shared_ptr<PendingCall>& pending) {
  std::promise<void> resumed;
  pending->Fetch([&resumed] { resumed.set_value(); });
  resumed.get_future().wait();
  return pending->Finish();
}

int Usage(const std::string& error) {
  std::fprintf(stderr, "achilles-cds: %s\n\n%s", error.c_str(), kUsageText);
  return kUsage;
}

// The card log as settings "audit" configure it: the store, the clinicians' responses (for snoozing), the
// recorder (serve only) and the log the router and explain use.
struct AuditParts {
  std::unique_ptr<audit::ResponseIndex> responses;
  std::unique_ptr<audit::Recorder> recorder;
  std::unique_ptr<AuditLog> log;
  std::string database;
  bool shared = false;  // PostgreSQL: replicas share it
};


// `record` false (explain): reads the responses once, records nothing. Throws ConfigError.
AuditParts OpenAudit(const ServerSettings& settings, const std::string& settings_file, bool record) {
  const ServerSettings::Audit& s = settings.audit;
  AuditParts parts;
  parts.database = AuditDatabase(s);
  parts.shared = parts.database.rfind("postgres", 0) == 0;
  if (record) {
    std::error_code ec;
    std::filesystem::create_directories(s.data_dir, ec);
    if (ec) throw fhir::ConfigError(s.data_dir, "audit.dataDir", "cannot create the data folder: " + ec.message());
  }
  std::unique_ptr<audit::Store> store;
  try {
    store = audit::OpenStore(parts.database);
  } catch (const audit::StoreError& e) {
    throw fhir::ConfigError(settings_file, "audit.database", e.what());
  }
  if (s.snooze) parts.responses = std::make_unique<audit::ResponseIndex>();
  if (record) {
    audit::Recorder::Options options;
    options.capacity = s.queue_capacity;
    options.batch_rows = s.batch_rows;
    options.flush_interval = s.flush_interval;
    options.log_error = [](const std::string& line) { LogError("audit: %s", line.c_str()); };
    if (s.journal_bytes > 0) {
      options.journal_dir = s.data_dir;
      options.journal_bytes = s.journal_bytes;
    }
    if (audit::ResponseIndex* responses = parts.responses.get()) {
      options.follow = [responses](audit::Store& st) { responses->Follow(st, UnixNow()); };
      options.follow_interval = s.follow_interval;
    }
    try {
      parts.recorder = std::make_unique<audit::Recorder>(std::move(store), std::move(options));
    } catch (const audit::StoreError& e) {  // the journal, or writing what it held (kept for the next start)
      throw fhir::ConfigError(s.data_dir, "audit.dataDir", e.what());
    }
  } else if (parts.responses) {
    try {
      parts.responses->Follow(*store, UnixNow());
    } catch (const audit::StoreError& e) {
      throw fhir::ConfigError(settings_file, "audit.database", e.what());
    }
  }
  // A shared (PostgreSQL) store needs the secret every replica shares; SQLite may generate its own.
  parts.log = std::make_unique<AuditLog>(
      parts.recorder.get(),
      audit::Pseudonymizer(audit::LoadOrCreateSecret(s.pseudonym_key_file, parts.shared ? "" : s.data_dir + "/pseudonym.key")),
      parts.responses.get());
  return parts;
}

int Serve(const Args& a) {
  if (!a.positional.empty()) return Usage("serve takes no file arguments");
  const std::string dir = ConfigDir(a);
  ServerSettings settings = LoadServerSettings(a);
  SetLogFormat(settings.json_log ? LogFormat::kJson : LogFormat::kText);
  if (a.port) {
    auto port = ParseNumber(*a.port, 0, 65535);
    if (!port) return Usage("--port must be a number from 0 to 65535");
    settings.port = static_cast<uint16_t>(*port);
  }
  if (a.threads) {
    auto threads = ParseNumber(*a.threads, 1, 256);
    if (!threads) return Usage("--threads must be a number from 1 to 256");
    settings.threads = static_cast<unsigned>(*threads);
  }
  if (a.tls_cert.has_value() != a.tls_key.has_value()) return Usage("--tls-cert and --tls-key go together");
  settings.tls_cert_file = a.tls_cert.value_or("");
  settings.tls_key_file = a.tls_key.value_or("");
  AppState state(dir, settings, SettingsFile(a));
  auto http = MakeHttpGetter(settings);
  auto fhir = fhir::MakeFhirClient(http);
  Authenticator auth(http);
  Router router(state, TodayUtc, fhir.get(), &auth);
  Metrics metrics;
  router.set_metrics(&metrics);
  AuditParts audit_parts;
  if (settings.audit.enabled) {
    audit_parts = OpenAudit(settings, SettingsFile(a), /*record=*/true);
    router.set_audit(audit_parts.log.get());
    metrics.WatchCardLog(audit_parts.recorder.get());
    metrics.WatchSnoozes(audit_parts.responses.get());
    // The store's location only: a postgresql:// URL's password never reaches the log.
    LogInfo("audit: recording every card and feedback item in %s%s",
            audit_parts.shared ? "PostgreSQL" : audit_parts.database.c_str(),
            settings.audit.snooze ? "; snoozing cards the clinician already answered" : "; snoozing OFF");
  } else {
    LogInfo("audit: OFF (audit.enabled is false): cards and feedback are not recorded, nothing is snoozed");
  }
  HttpServer server(settings, router);
  auto port = server.Listen();
  if (!port) {
    LogError("%s", port.error().message.c_str());
    return port.error().expression == "tls" ? kConfig : kRefused;
  }
  // SIGTERM is graceful from the moment "listening" is said (an orchestrator may stop it at once).
  server.HandleSignals([&state, &metrics] {
    const AppState::ReloadResult r = state.Reload();
    metrics.Reload(!r.error);
    if (r.error) {
      LogError("configuration reload failed, keeping the running configuration: %s", r.error->c_str());
      return;
    }
    std::string restart;
    for (const std::string& key : r.restart_needed) restart.append(restart.empty() ? "" : ", ").append(key);
    if (restart.empty()) {
      LogInfo("configuration reloaded");
    } else {
      LogInfo("configuration reloaded; server.json %s changed and applies only after a restart", restart.c_str());
    }
  });
  LogInfo("listening on %s:%u (%s) with %u I/O threads; configuration %s", settings.address.c_str(), *port,
          server.secure() ? "HTTPS" : "plain HTTP", server.threads(), dir.c_str());
  if (!settings.auth.required) {
    LogInfo("WARNING: authentication is OFF (%s): any caller is trusted. Development only; production settings "
            "(server.json) require every call to carry a JWT signed by a trusted EHR.", SettingsFile(a).c_str());
  } else if (settings.auth.clients.empty()) {
    LogInfo("authentication is required and no trusted clients are configured: every call will be refused "
            "until \"authentication.trustedClients\" in %s lists the EHRs (see README)", SettingsFile(a).c_str());
  } else {
    LogInfo("authentication is required: %zu trusted client(s)", settings.auth.clients.size());
  }
  // One line on stdout so scripts (and tests using --port 0) learn the port.
  std::printf("listening on %s://%s:%u\n", server.secure() ? "https" : "http", settings.address.c_str(), *port);
  std::fflush(stdout);
  const bool clean = server.Run();
  router.StopBackground();  // a report still being read answers into the server: before it is destroyed
  if (audit::Recorder* recorder = audit_parts.recorder.get()) {
    // Everything answered is written before the process ends (graceful shutdown drains the queue).
    recorder->Stop(settings.shutdown_grace);
    const audit::Recorder::Stats st = recorder->stats();
    LogInfo("audit: %ld event(s) written, %ld card record(s) dropped, %ld feedback item(s) refused", st.written,
            st.dropped, st.refused);
  }
  if (!clean) {
    // A request was still being computed past the grace: end now rather than wait for it (SIGTERM means
    // stop; the EHR has long given up on that answer).
    LogInfo("stopped (one request was still being computed after the shutdown grace)");
    std::fflush(stdout);
    std::_Exit(kOk);
  }
  LogInfo("stopped");
  return kOk;
}

bool ReadInput(const std::string& file, std::string& out) {
  std::ostringstream ss;
  if (file == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    ss << in.rdbuf();
  }
  out = ss.str();
  return true;
}

// evaluate and explain: one request FILE for one service, exactly as the server would take it.
int RunRequest(const Args& a, bool explain) {
  const char* command = explain ? "explain" : "evaluate";
  if (!a.service) return Usage(std::string(command) + " needs --service ID");
  if (a.positional.size() != 1) return Usage(std::string(command) + " needs exactly one FILE (- for stdin)");
  fhir::Date today = TodayUtc();
  if (a.today) {
    auto d = fhir::Date::ParseIso(*a.today);
    if (!d) return Usage("--today must be a date YYYY-MM-DD");
    today = *d;
  }
  const std::string dir = ConfigDir(a);
  const ServerSettings settings = LoadServerSettings(a);
  AppState state(dir, settings, SettingsFile(a));
  // The rule pages a card links: where the server would serve them (publicBaseUrl, else this machine).
  const std::string base = settings.public_base_url.empty() ? "http://localhost:" + std::to_string(settings.port)
                                                            : settings.public_base_url;
  const ResponseOptions options{base, &state.Current()->profile};

  std::string body;
  if (!ReadInput(a.positional[0], body)) {
    std::fprintf(stderr, "achilles-cds: cannot read %s\n", a.positional[0].c_str());
    return kUsage;
  }
  // Like the server, a request whose prefetch lacks data is completed from its fhirServer.
  auto fhir = fhir::MakeFhirClient(MakeHttpGetter(settings));
  FetchContext fetch;
  if (settings.fhir_fetch_enabled) {
    fetch.client = fhir.get();
    fetch.policy = settings.fhir_fetch;
  }
  std::shared_ptr<PendingCall> pending;
  std::string out;
  fhir::Result<bool> result = true;
  if (body.size() > settings.body_limit) {  // the server would answer 413
    result = fhir::MakeError(fhir::ErrorKind::kPayloadTooLarge,
                             "Request body larger than " + std::to_string(settings.body_limit) + " bytes");
  } else if (explain) {
    // What the clinicians already said (snoozing), when this deployment keeps a card log that exists.
    AuditParts audit_parts;
    const std::string database = AuditDatabase(settings.audit);
    if (settings.audit.enabled && settings.audit.snooze &&
        (database.rfind("postgres", 0) == 0 || std::filesystem::exists(database.substr(database.find(':') + 1)))) {
      audit_parts = OpenAudit(settings, SettingsFile(a), /*record=*/false);
    }
    auto report = ExplainServiceCall(*state.Current()->engine, *a.service, body, today, fetch, &pending,
                                     audit_parts.log.get());
    if (report) {
      out = std::move(*report);
    } else {
      result = report.error();
    }
  } else {
    result = HandleServiceCall(*state.Current()->engine, *a.service, body, today, options, out, fetch, &pending);
  }
  if (result && pending) {
    auto answer = Await(pending);
    if (answer) {
      out = std::move(*answer);
    } else {
      result = answer.error();
    }
  }
  if (!result) {
    std::fprintf(stderr, "%s\n", OperationOutcome(result.error()).c_str());
    return kRefused;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? kOk : kRefused;
}


int RunPopulation(const Args& a);
int WriteOutput(const std::optional<std::string>& file, const std::string& text);

// achilles-cds audit report: read-side only; the store is migrated like the server's (it may be the first
// program to open a new database).
int RunAudit(const Args& a) {
  if (!a.positional.empty() && a.positional[0] == "population") return RunPopulation(a);
  if (a.positional.empty() || a.positional[0] != "report")
    return Usage("audit needs a subcommand: audit report, or audit population DIR");
  if (a.positional.size() != 1) return Usage("audit report takes no file arguments (use --out FILE)");
  const auto format = audit::ParseReportFormat(a.format.value_or("text"));
  if (!format) return Usage("--format must be text, csv, json or html");
  auto period = ParseReportPeriod(a.from, a.to, TodayUtc().days, "--");
  if (!period) return Usage("--" + period.error().message);
  const ServerSettings settings = LoadServerSettings(a);
  const std::string database = a.db ? *a.db : AuditDatabase(settings.audit);
  if (database.rfind("postgres", 0) != 0 && !std::filesystem::exists(database.substr(database.find(':') + 1))) {
    std::fprintf(stderr, "achilles-cds: no card log at %s (--db, or the settings' audit.dataDir)\n", database.c_str());
    return kRefused;
  }
  const auto engine = cards::Engine::Load(ConfigDir(a));
  auto report = AuditReport(database, *engine, *period, *format);
  if (!report) {
    std::fprintf(stderr, "achilles-cds: %s\n", report.error().message.c_str());
    return kRefused;
  }
  return WriteOutput(a.out, *report);
}

// Writes `text` to FILE, else stdout.
int WriteOutput(const std::optional<std::string>& file, const std::string& text) {
  if (!file) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? kOk : kRefused;
  }
  std::ofstream out(*file, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "achilles-cds: cannot write %s\n", file->c_str());
    return kRefused;
  }
  return kOk;
}

// One line, redrawn in place: files, MB, MB/s, ETA.
void ShowProgress(const population::Progress& p) {
  const double mb = static_cast<double>(p.bytes_done) / 1e6, total = static_cast<double>(p.bytes) / 1e6;
  const double rate = p.seconds > 0 ? mb / p.seconds : 0;
  const double eta = rate > 0 ? (total - mb) / rate : 0;
  std::fprintf(stderr, "\r%s: files %zu/%zu · %.0f/%.0f MB · %.0f MB/s · ETA %d:%02d   ",
               p.pass == 1 ? "conditions" : "orders", p.files_done, p.files, mb, total, rate,
               static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
  if (p.files_done == p.files) std::fputc('\n', stderr);
}

// achilles-cds audit population DIR: streaming passes over a Bulk Data export (population/).
int RunPopulation(const Args& a) {
  if (a.positional.size() != 2) return Usage("audit population needs exactly one export folder DIR");
  const auto format = population::ParsePopulationFormat(a.format.value_or("text"));
  if (!format) return Usage("--format must be text, csv, json, html or measurereport");
  fhir::Date today = TodayUtc();
  if (a.today) {
    auto d = fhir::Date::ParseIso(*a.today);
    if (!d) return Usage("--today must be a date YYYY-MM-DD");
    today = *d;
  }
  fhir::Date to = today;
  if (a.to) {
    auto d = fhir::Date::ParseIso(*a.to);
    if (!d) return Usage("--to must be a date YYYY-MM-DD");
    to = *d;
  }
  fhir::Date from{to.days - 365};
  if (a.from) {
    auto d = fhir::Date::ParseIso(*a.from);
    if (!d) return Usage("--from must be a date YYYY-MM-DD");
    from = *d;
  }
  if (from > to) return Usage("--from must not be after --to");
  if (to > today) return Usage("--to must not be after --today (follow-up cannot end before the period does)");
  // The cores this process may run on (a container's CPU set, taskset), not the machine's.
  cpu_set_t cpus;
  unsigned jobs = ::sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? static_cast<unsigned>(CPU_COUNT(&cpus))
                                                                  : std::thread::hardware_concurrency();
  jobs = std::max(1u, jobs);
  if (a.jobs) {
    auto n = ParseNumber(*a.jobs, 1, 256);
    if (!n) return Usage("--jobs must be a number from 1 to 256");
    jobs = static_cast<unsigned>(*n);
  }
  const std::string dir = ConfigDir(a);
  const ServerSettings settings = LoadServerSettings(a);
  const auto engine = cards::Engine::Load(dir);
  population::MeasureInputs inputs;
  inputs.as_of = today;
  inputs.thresholds = cards::LoadEscalationThresholds(dir);
  // The card log's keys: the same secret, so a cohort row and a card of one patient share a key.
  const ServerSettings::Audit& s = settings.audit;
  const bool shared = AuditDatabase(s).rfind("postgres", 0) == 0;
  if (!shared && s.pseudonym_key_file.empty()) std::filesystem::create_directories(s.data_dir);
  const audit::Pseudonymizer keys(
      audit::LoadOrCreateSecret(s.pseudonym_key_file, shared ? "" : s.data_dir + "/pseudonym.key"));

  population::PopulationOptions options;
  options.dir = a.positional[1];
  options.from = from;
  options.to = to;
  options.jobs = jobs;
  if (::isatty(2)) options.on_progress = ShowProgress;
  auto result = population::RunPopulationAudit(options, engine->vocabulary(), inputs);
  if (!result) {
    std::fprintf(stderr, "achilles-cds: %s\n", result.error().message.c_str());
    return kRefused;
  }
  const population::PopulationReport report =
      population::Summarise(*result, keys, from, to, today, UtcTimestamp());
  if (result->input.problems_total > 0) {
    std::fprintf(stderr, "achilles-cds: %llu problem(s) in the export, %llu line(s) skipped (listed in the report)\n",
                 static_cast<unsigned long long>(result->input.problems_total),
                 static_cast<unsigned long long>(result->input.lines_skipped));
  }
  if (a.patients && WriteOutput(a.patients, population::RenderPatientsCsv(report)) != kOk) return kRefused;
  return WriteOutput(a.out, population::RenderPopulation(report, *format, a.subject_lists));
}

}  // namespace

int RunCli(int argc, char** argv) {
  std::string error;
  auto args = Parse(argc, argv, error);
  if (!args) return Usage(error);
  if (args->help || args->command.empty()) {
    std::fputs(kUsageText, args->help ? stdout : stderr);
    return args->help ? kOk : kUsage;
  }
  try {
    if (args->command == "serve") return Serve(*args);
    if (args->command == "evaluate") return RunRequest(*args, /*explain=*/false);
    if (args->command == "explain") return RunRequest(*args, /*explain=*/true);
    if (args->command == "audit") return RunAudit(*args);
  } catch (const fhir::ConfigError& e) {
    std::fprintf(stderr, "achilles-cds: configuration error: %s\n", e.what());
    return kConfig;
  } catch (const std::filesystem::filesystem_error& e) {  // never an abort: name the path
    std::fprintf(stderr, "achilles-cds: configuration error: %s: %s\n", e.path1().string().c_str(),
                 e.code().message().c_str());
    return kConfig;
  }
  return Usage("unknown command \"" + args->command + "\"");
}

}  // namespace cds::hooks
