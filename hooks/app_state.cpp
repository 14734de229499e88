// AppState: load and reload.
#include "hooks/app_state.h"

#include "fhir/result.h"
#include "hooks/discovery.h"

namespace cds::hooks {

AppState::AppState(std::string config_dir) : dir_(std::move(config_dir)), current_(Build(dir_)) {}

std::shared_ptr<const AppState::Snapshot> AppState::Build(const std::string& dir) {
  auto snap = std::make_shared<Snapshot>();
  snap->engine = cards::Engine::Load(dir);
  snap->discovery = DiscoveryDocument(*snap->engine);
  return snap;
}

std::optional<std::string> AppState::Reload() {
  try {
    std::atomic_store(&current_, Build(dir_));
    return std::nullopt;
  } catch (const fhir::ConfigError& e) {
    return std::string(e.what());
  }
}

}  // namespace cds::hooks
