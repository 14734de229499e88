// Test certificates with the openssl command line (EC P-256 keys: quick to make).
#include "tests/support/test_ca.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace cds::test {
namespace {

void Run(const std::string& command) {
  const int rc = std::system((command + " >/dev/null 2>&1").c_str());
  EXPECT_EQ(rc, 0) << command;
}

}  // namespace

TestCa::TestCa(const std::string& name) {
  key_ = dir_.Join("ca.key");
  cert_ = dir_.Join("ca.crt");
  Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj '/CN=" + name +
      "' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -keyout " + key_ +
      " -out " + cert_);
}

TestCa::Issued TestCa::Issue(const std::string& common_name, const std::vector<std::string>& subject_alt_names) {
  const std::string base = dir_.Join("server" + std::to_string(++serial_));
  Issued out{base + ".crt", base + ".key"};
  std::string san;
  for (const std::string& s : subject_alt_names) san += (san.empty() ? "" : ",") + s;
  WriteFile(base + ".ext", "subjectAltName=" + san + "\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
  Run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=" + common_name + "' -keyout " +
      out.key + " -out " + base + ".csr");
  Run("openssl x509 -req -in " + base + ".csr -CA " + cert_ + " -CAkey " + key_ + " -set_serial " +
      std::to_string(1000 + serial_) + " -days 2 -extfile " + base + ".ext -out " + out.cert);
  return out;
}

}  // namespace cds::test
