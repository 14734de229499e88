// A certificate authority for the tests, made with Debian's openssl command in a scratch folder: it signs
// server certificates for loopback names, so TLS is tested for real (chain and host name checks) without
// touching the system's trust store.
//
//   TestCa ca;
//   TestCa::Issued server = ca.Issue("localhost", {"DNS:localhost", "IP:127.0.0.1"});
//   // server.cert / server.key are PEM files; ca.cert() is the CA certificate to trust.
#pragma once

#include <string>
#include <vector>

#include "tests/support/files.h"

namespace cds::test {

class TestCa {
 public:
  explicit TestCa(const std::string& name = "achilles-cds test CA");
  const std::string& cert() const { return cert_; }

  struct Issued {
    std::string cert;
    std::string key;
  };
  // A server certificate for `subject_alt_names` ("DNS:localhost", "IP:127.0.0.1").
  Issued Issue(const std::string& common_name, const std::vector<std::string>& subject_alt_names);

 private:
  TempDir dir_;
  std::string cert_, key_;
  int serial_ = 0;
};

}  // namespace cds::test
