// In-process service calls as the router makes them, recorded for the conformance check.
//
//   CallResult r = CallService("achilles-patient-view", body);
//   EXPECT_EQ(r.status, 200);
#pragma once

#include <string>

#include "cards/engine.h"
#include "fhir/date.h"

namespace cds::test {

struct CallResult {
  int status = 0;
  std::string body;
};

const cards::Engine& ShippedEngine();  // config/ loaded once per test binary
fhir::Date TestToday();                // 2026-11-28: tests never depend on the clock
CallResult CallService(const std::string& service_id, std::string body, fhir::Date today = TestToday(),
                       const cards::Engine& engine = ShippedEngine());

}  // namespace cds::test
