// The running configuration: the engine, its discovery document, the EHR profile and the server settings,
// swapped atomically on reload so a request always sees one consistent configuration.
//
//   AppState state("config", settings);            // throws ConfigError
//   auto snap = state.Current();                   // per request
//   AppState::ReloadResult r = state.Reload();     // keeps the old configuration on failure
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cards/engine.h"
#include "hooks/ehr_profile.h"
#include "hooks/server_settings.h"

namespace cds::hooks {

class AppState {
 public:
  struct Snapshot {
    std::shared_ptr<const cards::Engine> engine;
    std::string discovery;  // GET /cds-services body
    EhrProfile profile;
    // What the router reads per request (CORS origins, access log, public base URL, EHR profile name) is
    // applied on reload; the listener's settings (address, port, threads, limits, timeouts) need a restart.
    ServerSettings server;
  };
  struct ReloadResult {
    std::optional<std::string> error;         // set when the reload failed (the old configuration runs on)
    std::vector<std::string> restart_needed;  // server.json settings that changed but apply only on restart
  };

  // `server`: the settings the process started with (the settings file, with any command-line overrides).
  // `settings_file`: where a reload reads them again ("" = <config_dir>/server.json).
  explicit AppState(std::string config_dir, ServerSettings server = {}, std::string settings_file = "");
  std::shared_ptr<const Snapshot> Current() const { return std::atomic_load(&current_); }
  // Loads the configuration again. On failure keeps the running one and says why.
  ReloadResult Reload();
  const std::string& config_dir() const { return dir_; }

 private:
  static std::shared_ptr<const Snapshot> Build(const std::string& dir, ServerSettings server);
  // server.json as last read (defaults when there is none): a reload compares the file with itself, so a
  // command-line --port is not reported as a change.
  static ServerSettings ReadFile(const std::string& file, const std::string& dir);

  std::string dir_;
  std::string settings_file_;
  ServerSettings file_;
  std::shared_ptr<const Snapshot> current_;
};

}  // namespace cds::hooks
