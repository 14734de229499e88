// The real FHIR R4 server the fetch tests call: Medplum's FhirRouter and MemoryRepository in a small Node
// listener (tests/fhir-server/server.mjs), started on a free loopback port and stopped with the object.
// Its /_test controls load resources, require a bearer token, inject faults and list what was asked; the
// same listener serves fixed JSON documents (key sets) for the authentication tests.
//
//   FhirTestServer fhir;                       // or FhirTestServer fhir(TestCa::Issued{…}) for HTTPS
//   fhir.Load(bundle_json);
//   fhir.Fault(R"({"prefix":"/Condition","status":500})");
//   std::string base = fhir.base();            // "http://127.0.0.1:PORT"
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "tests/support/process.h"
#include "tests/support/test_ca.h"

namespace cds::test {

class FhirTestServer {
 public:
  explicit FhirTestServer(std::optional<TestCa::Issued> tls = std::nullopt);
  ~FhirTestServer();
  uint16_t port() const { return port_; }
  std::string base() const;  // http(s)://127.0.0.1:PORT

  void Load(const std::string& bundle_json);  // a Bundle of resources, kept with their ids
  void Clear();                               // no resources, faults or token rule
  void RequireToken(const std::string& token);
  void Fault(const std::string& fault_json);  // {"prefix","delayMs","status","body","hugeEntries","resource"}
  void Serve(const std::string& path, const std::string& json);  // a fixed document at `path`
  std::string Seen();                         // {"requests":[{"method","url","authorization","accept"}]}
  void Stop();                                // the server goes away (a "server down" fault)

 private:
  std::string Control(const std::string& path, const std::string& body);

  bool tls_ = false;
  std::unique_ptr<BackgroundProcess> process_;
  uint16_t port_ = 0;
  uint16_t control_port_ = 0;
};

}  // namespace cds::test
