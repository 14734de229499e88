// Every response body a test produces is recorded under $ACHILLES_RESPONSES_DIR; after the suite,
// tests/conformance/check_responses.py checks each one against the CDS Hooks card invariants and the
// FHIR R4 JSON schema (a real validator, not our code).
#pragma once

#include <string_view>

namespace cds::test {

// kind: "cards" (a service-call response), "error" (an OperationOutcome), "discovery", or "other".
void RecordResponse(std::string_view kind, int status, std::string_view body);

}  // namespace cds::test
