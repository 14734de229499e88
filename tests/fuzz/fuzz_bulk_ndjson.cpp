// libFuzzer target: a Bulk Data export file, as `audit population` reads it. The input is written as the
// export's Condition file and its MedicationRequest file (gzip when it starts with the gzip magic), and the
// whole audit runs over the folder: the NDJSON reader, the line parser, the cohort pass and the evaluation
// of every cohort patient with the live rules' facts.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "cards/engine.h"
#include "population/population_audit.h"

namespace {

struct World {
  std::shared_ptr<const cds::cards::Engine> engine = cds::cards::Engine::Load(ACHILLES_SOURCE_DIR "/config");
  std::string dir = std::filesystem::temp_directory_path().string() + "/fuzz-bulk-" + std::to_string(::getpid());
  World() { std::filesystem::create_directories(dir); }
  ~World() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

void Write(const std::string& path, const uint8_t* data, std::size_t size) {
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static World world;
  const bool gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  for (const auto& entry : std::filesystem::directory_iterator(world.dir)) std::filesystem::remove(entry.path());
  const std::string suffix = gz ? ".ndjson.gz" : ".ndjson";
  Write(world.dir + "/Condition" + suffix, data, size);
  Write(world.dir + "/MedicationRequest" + suffix, data, size);
  cds::population::PopulationOptions options;
  options.dir = world.dir;
  options.from = cds::fhir::Date::FromYmd(2000, 1, 1);
  options.to = cds::fhir::Date::FromYmd(2030, 12, 31);
  options.jobs = 1;
  cds::population::MeasureInputs inputs;
  inputs.as_of = cds::fhir::Date::FromYmd(2031, 1, 1);
  (void)cds::population::RunPopulationAudit(options, world.engine->vocabulary(), inputs);
  return 0;
}
