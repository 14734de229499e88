// Turning a prefetched CDS Hooks request into one the service must complete from a FHIR server: its
// prefetch resources as a Bundle to load into the server, and the request without them.
//
//   fhir.Load(PrefetchedResources(body, n));
//   Post(port, "/cds-services/achilles-patient-view", WithoutPrefetch(body, fhir.base()));
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tests/support/json.h"

namespace cds::test {

std::string Write(const rapidjson::Value& v);  // compact JSON text

// The request without its prefetch (or without only the prefetch `keys`, when given), pointing at `server`
// instead, with an access token when `token` is not empty.
std::string WithoutPrefetch(const std::string& body, const std::string& server, const std::string& token = "",
                            const std::vector<std::string>& keys = {});

// Every resource the request's prefetch holds, as a collection Bundle; `count` says how many.
std::string PrefetchedResources(const std::string& body, std::size_t& count);

}  // namespace cds::test
