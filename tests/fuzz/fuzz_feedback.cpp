// libFuzzer target: a CDS Hooks feedback body (POST …/feedback), parsed and checked item by item.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hooks/feedback.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  (void)cds::hooks::ParseFeedback(body, "achilles-patient-view", "2026-12-01T10:00:00Z");
  return 0;
}
