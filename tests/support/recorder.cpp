// Response recording: one file per response, named <kind>-<status>-<pid>-<n>.json.
#include "tests/support/recorder.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace cds::test {

void RecordResponse(std::string_view kind, int status, std::string_view body) {
  const char* dir = std::getenv("ACHILLES_RESPONSES_DIR");
  if (dir == nullptr || *dir == '\0' || body.empty()) return;
  static std::atomic<int> counter{0};
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string file = std::string(dir) + "/" + std::string(kind) + "-" + std::to_string(status) + "-" +
                           std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".json";
  std::ofstream(file, std::ios::binary) << body;
}

}  // namespace cds::test
