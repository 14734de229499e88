// FhirClient: fetches what a CDS call's prefetch lacked from the EHR's FHIR server (CDS Hooks §prefetch:
// "the CDS Service MAY query fhirServer"). Every query of a call runs at once, searches follow
// Bundle.link[next] up to a page cap, and the whole fetch is held to one deadline, so the EHR never waits
// past its own timeout. A query that cannot be had says why, in words that carry no content or token.
//
//   auto client = MakeFhirClient(http);
//   client->FetchAll("https://fhir.example.org/r4", token, {{"conditions", "Condition?patient=123", false}},
//                    policy, [](std::vector<FhirFetched> r) { /* on a client thread; must not block */ });
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fhir/http_get.h"
#include "fhir/parsed_json.h"

namespace cds::fhir {

struct FhirQuery {
  std::string name;      // what it is for (a prefetch key), for messages
  std::string relative;  // "Condition?patient=123" or "Patient/123", tokens already rendered and encoded
  bool single_resource;  // a read: one resource, no paging
};

struct FhirFetchPolicy {
  std::chrono::milliseconds deadline{2000};    // for the whole fetch, all queries and pages
  std::size_t max_pages = 10;                  // per search: more is reported, not silently truncated
  std::size_t page_size = 100;                 // _count asked of a search that does not set it (0: server's own)
  std::size_t max_bytes = 16 * 1024 * 1024;    // all answers of one call together
  bool allow_plain_http = false;               // a bearer token over http:// only when a site allows it
};

struct FhirFetched {
  std::vector<ParsedJson> pages;  // the answers: the resource of a read, or each Bundle page of a search
  std::string problem;            // why there is no (complete) data; empty when `pages` is the whole answer
  // The same as one word from a fixed set, for metrics: deadline, unreachable, too_large, unauthorized,
  // not_found, server_error, http_status, not_json, operation_outcome, page_limit, foreign_link, plain_http
  // (and server_not_allowed, which hooks sets for a server the caller may not name).
  const char* reason = "";
  std::chrono::microseconds took{0};
};

class FhirClient {
 public:
  virtual ~FhirClient() = default;
  // `server` is fhirServer (with or without a trailing '/'); `token` the access token ("" for an open server).
  // `done` is called exactly once, by the deadline, with one result per query in the given order.
  virtual void FetchAll(std::string server, std::string token, std::vector<FhirQuery> queries,
                        const FhirFetchPolicy& policy, std::function<void(std::vector<FhirFetched>)> done) = 0;
};

std::unique_ptr<FhirClient> MakeFhirClient(std::shared_ptr<HttpGetter> http);

}  // namespace cds::fhir
