// AppState: load and reload. A reload never throws past here: a configuration error, and any filesystem
// error on the way (a symlink loop, a folder gone), keeps the running configuration.
#include "hooks/app_state.h"

#include <filesystem>

#include "fhir/result.h"
#include "hooks/discovery.h"

namespace cds::hooks {

AppState::AppState(std::string config_dir, ServerSettings server, std::string settings_file)
    : dir_(std::move(config_dir)),
      settings_file_(settings_file.empty() ? (std::filesystem::path(dir_) / "server.json").string()
                                           : std::move(settings_file)),
      file_(ReadFile(settings_file_, dir_)),
      current_(Build(dir_, std::move(server))) {}

ServerSettings AppState::ReadFile(const std::string& file, const std::string& dir) {
  std::error_code ec;
  return std::filesystem::exists(file, ec) ? ServerSettings::Load(file, dir) : ServerSettings{};
}

std::shared_ptr<const AppState::Snapshot> AppState::Build(const std::string& dir, ServerSettings server) {
  try {
    auto snap = std::make_shared<Snapshot>();
    snap->engine = cards::Engine::Load(dir);
    snap->discovery = DiscoveryDocument(*snap->engine);
    const std::string profile_file =
        (std::filesystem::path(dir) / "ehr-profiles" / (server.ehr_profile + ".json")).string();
    snap->profile = EhrProfile::Load(profile_file);
    snap->profile.Check(profile_file);
    snap->server = std::move(server);
    return snap;
  } catch (const std::filesystem::filesystem_error& e) {
    throw fhir::ConfigError(e.path1().empty() ? dir : e.path1().string(), "", e.code().message());
  }
}

AppState::ReloadResult AppState::Reload() {
  ReloadResult result;
  try {
    ServerSettings next = Current()->server;
    const ServerSettings loaded = ReadFile(settings_file_, dir_);
    next.ApplyReloadable(loaded);
    std::atomic_store(&current_, Build(dir_, std::move(next)));
    result.restart_needed = ServerSettings::RestartNeeded(file_, loaded);
    file_ = loaded;
  } catch (const fhir::ConfigError& e) {
    result.error = e.what();
    result.restart_needed.clear();
  } catch (const std::exception& e) {  // e.g. a filesystem error outside Build: never past the loader
    result.error = std::string("configuration unreadable: ") + e.what();
    result.restart_needed.clear();
  }
  return result;
}

}  // namespace cds::hooks
