// The running configuration: the engine and its discovery document, swapped atomically on reload so a
// request always sees one consistent configuration.
//
//   AppState state("config");                   // throws ConfigError
//   auto snap = state.Current();                // per request
//   if (auto err = state.Reload()) LogError(...); // keeps the old configuration on failure
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cards/engine.h"

namespace cds::hooks {

class AppState {
 public:
  struct Snapshot {
    std::shared_ptr<const cards::Engine> engine;
    std::string discovery;  // GET /cds-services body
  };

  explicit AppState(std::string config_dir);
  std::shared_ptr<const Snapshot> Current() const { return std::atomic_load(&current_); }
  // Loads the configuration again. On failure keeps the running one and returns why.
  std::optional<std::string> Reload();
  const std::string& config_dir() const { return dir_; }

 private:
  static std::shared_ptr<const Snapshot> Build(const std::string& dir);

  std::string dir_;
  std::shared_ptr<const Snapshot> current_;
};

}  // namespace cds::hooks
