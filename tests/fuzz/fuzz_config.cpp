// libFuzzer target: configuration files as an operator edits them — a value set (config/valuesets/*.json) and
// server.json — each loaded the way start-up and SIGHUP load them. A bad file must be a ConfigError that names
// it; any other exception escapes and fails the run.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "fhir/result.h"
#include "fhir/terminology.h"
#include "hooks/server_settings.h"

namespace {

const std::filesystem::path& Dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("achilles-fuzz-config." + std::to_string(::getpid()));
    std::filesystem::create_directories(d / "valuesets");
    return d;
  }();
  return dir;
}

void Write(const std::filesystem::path& file, const uint8_t* data, std::size_t size) {
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                              static_cast<std::streamsize>(size));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  Write(Dir() / "valuesets" / "fuzzed.json", data, size);
  try {
    (void)cds::fhir::Terminology::LoadDirectory((Dir() / "valuesets").string());
  } catch (const cds::fhir::ConfigError&) {
  }
  Write(Dir() / "server.json", data, size);
  try {
    (void)cds::hooks::ServerSettings::Load((Dir() / "server.json").string(), Dir().string());
  } catch (const cds::fhir::ConfigError&) {
  }
  return 0;
}
