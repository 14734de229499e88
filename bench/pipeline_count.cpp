// Runs one request through the pipeline N times (or only parses it, for the baseline), so that
// `valgrind --tool=callgrind` can count instructions per request: a figure that does not move with the
// machine's load, unlike wall-clock time on a shared VM.
//   pipeline_count pipeline|parse FILE SERVICE N
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "cards/engine.h"
#include "fhir/json_document.h"
#include "hooks/service_call.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: pipeline_count pipeline|parse FILE SERVICE N\n");
    return 2;
  }
  const std::string mode = argv[1];
  std::ifstream in(argv[2], std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string request = ss.str();
  const auto engine = cds::cards::Engine::Load(std::string(ACHILLES_SOURCE_DIR) + "/config");
  const int n = std::atoi(argv[4]);
  std::string body, out;
  for (int i = 0; i < n; ++i) {
    body = request;
    if (mode == "parse") {
      rapidjson::Document doc;
      if (!cds::fhir::ParseInsitu(body, doc)) return 1;
    } else if (!cds::hooks::HandleServiceCall(*engine, argv[3], body, cds::fhir::Date::FromYmd(2026, 11, 28), {"http://localhost:8080", nullptr}, out)) {
      return 1;
    }
  }
  return 0;
}
