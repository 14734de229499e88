// HTTPS served by the service itself (--tls-cert/--tls-key), tested with Debian's curl and a test CA: the
// certificate verifies against the CA and not without it, plain HTTP on the HTTPS port gets nothing, a signed
// call's aud is the https URL, bad certificate files are a configuration error, and SIGHUP takes a renewed
// certificate without a restart.
#include <signal.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

#include "tests/support/files.h"
#include "tests/support/jwt_mint.h"
#include "tests/support/process.h"
#include "tests/support/requests.h"
#include "tests/support/test_ca.h"

namespace cds::test {
namespace {

const std::string kService = "/cds-services/achilles-patient-view";

struct Curl {
  int exit_code = -1;
  std::string status;  // "200", or "000" when no HTTP answer came
  std::string body;    // the body, then curl's own error message (stderr) if any
};

// curl `args` (test-controlled paths and URLs only); the HTTP status is the output's last line.
Curl RunCurl(const std::string& args) {
  const std::string command = "curl -sS --max-time 10 -w '\\n%{http_code}' " + args + " 2>&1";
  Curl c;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return c;
  char chunk[4096];
  std::size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, p)) > 0) c.body.append(chunk, n);
  const int status = ::pclose(p);
  c.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const std::size_t nl = c.body.rfind('\n');
  if (nl != std::string::npos) {
    c.status = c.body.substr(nl + 1);
    c.body.resize(nl);
  }
  return c;
}

std::string Url(uint16_t port, const std::string& path, const std::string& host = "localhost") {
  return "https://" + host + ":" + std::to_string(port) + path;
}

std::string TendinopathyCall(const std::string& file) {
  WriteFile(file, PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")})));
  return "-H 'Content-Type: application/json' --data-binary @" + file;
}

class Tls : public ::testing::Test {
 protected:
  Tls() : server_(ca_.Issue("localhost", {"DNS:localhost", "IP:127.0.0.1"})) {}
  std::vector<std::string> Args() const {
    return {"--config", ConfigDir(), "--tls-cert", server_.cert, "--tls-key", server_.key};
  }
  TestCa ca_;
  TestCa::Issued server_;
  TempDir dir_;
};

TEST_F(Tls, ServesHttpsThatVerifiesAgainstItsCaAndOnlyThen) {
  ServeProcess serve(Args());
  ASSERT_NE(serve.port(), 0) << serve.err();

  const Curl discovery = RunCurl("--cacert " + ca_.cert() + " " + Url(serve.port(), "/cds-services"));
  EXPECT_EQ(discovery.exit_code, 0) << discovery.body;
  EXPECT_EQ(discovery.status, "200");
  EXPECT_NE(discovery.body.find("\"achilles-patient-view\""), std::string::npos) << discovery.body;

  // A service call over HTTPS (by IP: the certificate names 127.0.0.1 too), keep-alive across two requests.
  const Curl call = RunCurl("--cacert " + ca_.cert() + " " + TendinopathyCall(dir_.Join("call.json")) + " " +
                            Url(serve.port(), kService, "127.0.0.1"));
  EXPECT_EQ(call.status, "200") << call.body;
  EXPECT_NE(call.body.find("start a loading programme"), std::string::npos) << call.body;
  const Curl twice = RunCurl("--cacert " + ca_.cert() + " -w ' connects=%{num_connects}' " +
                             Url(serve.port(), "/healthz") + " " + Url(serve.port(), "/healthz"));
  EXPECT_NE(twice.body.find("connects=0"), std::string::npos) << twice.body;  // the second reused the connection

  // Without the CA the certificate is not trusted (curl 60); plain HTTP on the HTTPS port gets no answer (52).
  EXPECT_EQ(RunCurl(Url(serve.port(), "/healthz")).exit_code, 60);
  const Curl plain = RunCurl("http://localhost:" + std::to_string(serve.port()) + "/healthz");
  EXPECT_EQ(plain.exit_code, 52) << plain.body;
  // Both refusals cost the server nothing: it still answers, and its log names the failure only.
  EXPECT_EQ(RunCurl("--cacert " + ca_.cert() + " " + Url(serve.port(), "/healthz")).status, "200");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_NE(serve.err().find("TLS handshake failed: http request"), std::string::npos) << serve.err();
  EXPECT_NE(serve.err().find("(HTTPS)"), std::string::npos) << serve.err();
  // An old protocol version is refused: TLS 1.2 at least.
  EXPECT_NE(RunCurl("--cacert " + ca_.cert() + " --tlsv1.1 --tls-max 1.1 " + Url(serve.port(), "/healthz")).exit_code, 0);
}

TEST_F(Tls, ASignedCallsAudienceIsTheHttpsUrl) {
  SigningKey key = SigningKey::Generate("RS384", "kid-rs");
  WriteFile(dir_.Join("ehr.jwks.json"), key.PublicJwks());
  WriteFile(dir_.Join("server.json"), R"({"authentication": {"required": true, "trustedClients": [
      {"iss": "https://ehr.example.org", "jwksFile": ")" + dir_.Join("ehr.jwks.json") + R"("}]}})");
  std::vector<std::string> args = Args();
  args.insert(args.end(), {"--settings", dir_.Join("server.json")});
  ServeProcess serve(args);
  ASSERT_NE(serve.port(), 0) << serve.err();
  const std::string body = TendinopathyCall(dir_.Join("call.json"));
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  auto call = [&](const std::string& aud) {
    const std::string token = key.Sign(Claims("https://ehr.example.org", aud, now));
    return RunCurl("--cacert " + ca_.cert() + " -H 'Authorization: Bearer " + token + "' " + body + " " +
                   Url(serve.port(), kService))
        .status;
  };
  EXPECT_EQ(call(Url(serve.port(), kService)), "200");
  // The same path with the scheme the caller did not use is another audience.
  EXPECT_EQ(call("http://localhost:" + std::to_string(serve.port()) + kService), "401");
}

TEST_F(Tls, UnusableCertificateFilesAreAConfigurationError) {
  WriteFile(dir_.Join("empty.pem"), "");
  const TestCa::Issued other = ca_.Issue("other", {"DNS:other"});
  struct Case {
    std::vector<std::string> args;
    std::string says;
  } cases[] = {
      {{"--tls-cert", dir_.Join("missing.pem"), "--tls-key", server_.key}, "cannot use the TLS certificate"},
      {{"--tls-cert", dir_.Join("empty.pem"), "--tls-key", server_.key}, "cannot use the TLS certificate"},
      {{"--tls-cert", server_.cert, "--tls-key", dir_.Join("missing.pem")}, "cannot use the TLS private key"},
      {{"--tls-cert", server_.cert, "--tls-key", other.key}, "key values mismatch"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"serve", "--port", "0", "--config", ConfigDir(), "--settings",
                                     ConfigDir() + "/server.development.json"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const ProcessResult r = RunBinary(args);
    EXPECT_EQ(r.exit_code, 3) << c.says << "\n" << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
  const ProcessResult half = RunBinary({"serve", "--port", "0", "--tls-cert", server_.cert});
  EXPECT_EQ(half.exit_code, 2) << half.err;
  EXPECT_NE(half.err.find("--tls-cert and --tls-key go together"), std::string::npos) << half.err;
}

TEST_F(Tls, SighupTakesARenewedCertificateWithoutARestart) {
  WriteFile(dir_.Join("cert.pem"), ReadFile(server_.cert));
  WriteFile(dir_.Join("key.pem"), ReadFile(server_.key));
  ServeProcess serve({"--config", ConfigDir(), "--tls-cert", dir_.Join("cert.pem"), "--tls-key", dir_.Join("key.pem")});
  ASSERT_NE(serve.port(), 0) << serve.err();
  TestCa renewed_ca("renewed CA");
  EXPECT_EQ(RunCurl("--cacert " + ca_.cert() + " " + Url(serve.port(), "/healthz")).status, "200");
  EXPECT_NE(RunCurl("--cacert " + renewed_ca.cert() + " " + Url(serve.port(), "/healthz")).exit_code, 0);

  // A broken file on reload keeps the running certificate.
  WriteFile(dir_.Join("cert.pem"), "not a certificate");
  serve.Signal(SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_NE(serve.err().find("TLS certificate reload failed, keeping the running certificate"), std::string::npos)
      << serve.err();
  EXPECT_EQ(RunCurl("--cacert " + ca_.cert() + " " + Url(serve.port(), "/healthz")).status, "200");

  const TestCa::Issued renewed = renewed_ca.Issue("localhost", {"DNS:localhost"});
  WriteFile(dir_.Join("cert.pem"), ReadFile(renewed.cert));
  WriteFile(dir_.Join("key.pem"), ReadFile(renewed.key));
  serve.Signal(SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_NE(serve.err().find("TLS certificate reloaded"), std::string::npos) << serve.err();
  EXPECT_EQ(RunCurl("--cacert " + renewed_ca.cert() + " " + Url(serve.port(), "/healthz")).status, "200");
  EXPECT_NE(RunCurl("--cacert " + ca_.cert() + " " + Url(serve.port(), "/healthz")).exit_code, 0);
}

}  // namespace
}  // namespace cds::test
