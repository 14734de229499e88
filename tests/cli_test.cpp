// The command line against the real binary: serve (with SIGTERM / SIGHUP), evaluate, help, exit codes.
#include <signal.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include <thread>

#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/json.h"
#include "tests/support/metrics_text.h"
#include "tests/support/process.h"
#include "tests/support/requests.h"

namespace cds::test {
namespace {

using namespace std::chrono_literals;

std::string TendinopathyRequest() {
  return PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")}));
}

TEST(Cli, HelpAndUsageErrors) {
  ProcessResult help = RunBinary({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("achilles-cds serve"), std::string::npos);
  EXPECT_NE(help.out.find("achilles-cds evaluate"), std::string::npos);
  EXPECT_EQ(RunBinary({"serve", "--help"}).exit_code, 0);
  EXPECT_EQ(RunBinary({"evaluate", "--help"}).exit_code, 0);
  EXPECT_EQ(RunBinary({}).exit_code, 2);
  EXPECT_EQ(RunBinary({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunBinary({"serve", "--port", "99999"}).exit_code, 2);
  EXPECT_EQ(RunBinary({"serve", "--bogus"}).exit_code, 2);
  EXPECT_EQ(RunBinary({"evaluate", "--service", "achilles-patient-view"}).exit_code, 2);
  EXPECT_EQ(RunBinary({"evaluate", "--service", "achilles-patient-view", "--today", "28/11/2026", "-"}).exit_code, 2);
  EXPECT_EQ(RunBinary({"evaluate", "--service", "achilles-patient-view", "/nonexistent.json", "--config", ConfigDir()})
                .exit_code,
            2);
}

TEST(Cli, EvaluatePrintsTheResponseBody) {
  ProcessResult r = RunBinary({"evaluate", "--service", "achilles-patient-view", "--config", ConfigDir(), "-"},
                              TendinopathyRequest());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("{\"cards\":[{", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("eccentric-rehab"), std::string::npos);
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(Cli, EvaluateRefusalsExitOneWithTheOperationOutcomeOnStderr) {
  ProcessResult unknown =
      RunBinary({"evaluate", "--service", "nope", "--config", ConfigDir(), "-"}, TendinopathyRequest());
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(unknown.out.empty());
  EXPECT_NE(unknown.err.find("\"resourceType\":\"OperationOutcome\""), std::string::npos);
  EXPECT_NE(unknown.err.find("not-found"), std::string::npos);
  ProcessResult bad =
      RunBinary({"evaluate", "--service", "achilles-patient-view", "--config", ConfigDir(), "-"}, "{\"hook\":");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("Malformed JSON"), std::string::npos);
}

TEST(Cli, ExplainReportsEveryRuleAndRefusesWhatTheServerRefuses) {
  ProcessResult r = RunBinary(
      {"explain", "--service", "achilles-patient-view", "--today", "2026-11-28", "--config", ConfigDir(), "-"},
      TendinopathyRequest());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* expected :
       {"Service achilles-patient-view (patient-view)", "today 2026-11-28", "eccentric-rehab: FIRED, info",
        "fluoroquinolone: did not fire", "rupture-referral: did not fire", "imaging: did not fire",
        "escalation: did not fire", "weight: did not fire", "no dated BMI observation",
        "card detail:", "suggestion: Refer to physiotherapy"}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }
  ProcessResult bad =
      RunBinary({"explain", "--service", "achilles-order-sign", "--config", ConfigDir(), "-"}, TendinopathyRequest());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("answers the \\\"order-sign\\\" hook"), std::string::npos) << bad.err;
  EXPECT_EQ(RunBinary({"explain", "--config", ConfigDir(), "-"}).exit_code, 2);
}

TEST(Cli, EvaluateRefusesWhatTheServerWouldRefuseForSize) {
  ConfigCopy config;
  config.Edit("server.json", "\"bodyLimitBytes\": 4194304", "\"bodyLimitBytes\": 1024");
  const std::string padded = TendinopathyRequest() + std::string(2000, ' ');
  ProcessResult r =
      RunBinary({"evaluate", "--service", "achilles-patient-view", "--config", config.path(), "-"}, padded);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("larger than 1024 bytes"), std::string::npos) << r.err;
}

TEST(Cli, ConfigurationErrorsExitThreeNamingFileAndField) {
  ConfigCopy config;
  config.Edit("rules/eccentric-rehab.json", "\"indicator\": \"info\"", "\"indicator\": \"loud\"");
  ProcessResult serve = RunBinary({"serve", "--port", "0", "--config", config.path()});
  EXPECT_EQ(serve.exit_code, 3);
  EXPECT_NE(serve.err.find("eccentric-rehab.json: indicator"), std::string::npos) << serve.err;
  ProcessResult evaluate =
      RunBinary({"evaluate", "--service", "achilles-patient-view", "--config", config.path(), "-"}, "{}");
  EXPECT_EQ(evaluate.exit_code, 3);
  ConfigCopy server;
  server.Edit("server.json", "\"port\": 8080", "\"port\": \"eighty\"");
  ProcessResult bad_server = RunBinary({"serve", "--config", server.path()});
  EXPECT_EQ(bad_server.exit_code, 3);
  EXPECT_NE(bad_server.err.find("server.json: port: must be a number"), std::string::npos) << bad_server.err;
}

TEST(Cli, ServeAnswersAndExitsZeroOnSigtermAfterFinishingInFlightRequests) {
  ServeProcess server({"--config", ConfigDir()});
  ASSERT_NE(server.port(), 0);
  EXPECT_EQ(Get(server.port(), "/healthz").status, 200);
  const std::string body = TendinopathyRequest();
  TestConnection in_flight(server.port());
  in_flight.Write(
      "POST /cds-services/achilles-patient-view HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 30));
  std::this_thread::sleep_for(100ms);
  server.Signal(SIGTERM);
  std::this_thread::sleep_for(100ms);
  in_flight.Write(body.substr(30));
  HttpResult r = in_flight.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("eccentric-rehab"), std::string::npos);
  EXPECT_EQ(server.Wait(), 0);
  EXPECT_NE(server.err().find("shutting down"), std::string::npos) << server.err();
}

// A request still in flight when the shutdown grace has passed is cut off: the process exits within about
// grace + 2 s, not when the request would have finished (it took 14 s with a 10 s grace).
TEST(Cli, SigtermPastTheGraceExitsPromptly) {
  ConfigCopy config;
  config.Edit("server.development.json", "\"shutdownGraceMs\": 10000", "\"shutdownGraceMs\": 300");
  config.Edit("server.development.json", "\"readTimeoutMs\": 15000", "\"readTimeoutMs\": 60000");
  ServeProcess server({"--config", config.path()});
  ASSERT_NE(server.port(), 0);
  TestConnection stalled(server.port());
  stalled.Write("POST /cds-services/achilles-patient-view HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 1000\r\n\r\n{\"hook\"");
  std::this_thread::sleep_for(100ms);
  const auto start = std::chrono::steady_clock::now();
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(std::chrono::seconds(6)), 0) << server.err();
  const auto took = std::chrono::steady_clock::now() - start;
  std::printf("exited %lld ms after SIGTERM (grace 300 ms)\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
  EXPECT_NE(server.err().find("shutdown grace of 300 ms passed"), std::string::npos) << server.err();
}

TEST(Cli, SigintStopsTooAndAPortInUseExitsOne) {
  ServeProcess first({"--config", ConfigDir()});
  ASSERT_NE(first.port(), 0);
  ProcessResult second = RunBinary({"serve", "--port", std::to_string(first.port()), "--config", ConfigDir()});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("cannot listen"), std::string::npos) << second.err;
  first.Signal(SIGINT);
  EXPECT_EQ(first.Wait(), 0);
}

TEST(Cli, SighupReloadsAndAFailedReloadKeepsTheRunningConfiguration) {
  ConfigCopy config;
  ServeProcess server({"--config", config.path()});
  ASSERT_NE(server.port(), 0);
  const std::string path = "/cds-services/achilles-patient-view";
  EXPECT_NE(Post(server.port(), path, TendinopathyRequest()).body.find("start a loading programme"), std::string::npos);

  config.Edit("rules/eccentric-rehab.json", "start a loading programme (first-line care)",
              "begin a loading programme (first-line care)");
  server.Signal(SIGHUP);
  std::string body;
  for (int i = 0; i < 100 && body.find("begin a loading") == std::string::npos; ++i) {
    std::this_thread::sleep_for(20ms);
    body = Post(server.port(), path, TendinopathyRequest()).body;
  }
  EXPECT_NE(body.find("begin a loading programme"), std::string::npos) << body;

  config.Edit("rules/eccentric-rehab.json", "\"indicator\": \"info\"", "\"indicator\": \"loud\"");
  server.Signal(SIGHUP);
  std::string err;
  for (int i = 0; i < 100 && err.find("reload failed") == std::string::npos; ++i) {
    std::this_thread::sleep_for(20ms);
    err = server.err();
  }
  EXPECT_NE(err.find("reload failed, keeping the running configuration"), std::string::npos) << err;
  EXPECT_NE(err.find("eccentric-rehab.json: indicator"), std::string::npos) << err;
  EXPECT_NE(Post(server.port(), path, TendinopathyRequest()).body.find("begin a loading programme"), std::string::npos);

  // A rule file turned into a symlink loop: the reload fails naming the file, the server keeps serving.
  std::filesystem::remove(config.Join("rules/weight.json"));
  std::filesystem::create_symlink(config.Join("rules/weight.json"), config.Join("rules/weight.json"));
  server.Signal(SIGHUP);
  for (int i = 0; i < 100 && err.find("weight.json: Too many levels of symbolic links") == std::string::npos; ++i) {
    std::this_thread::sleep_for(20ms);
    err = server.err();
  }
  EXPECT_NE(err.find("weight.json: Too many levels of symbolic links"), std::string::npos) << err;
  EXPECT_EQ(Post(server.port(), path, TendinopathyRequest()).status, 200);
  // What the operator's Prometheus sees: one reload taken, two refused.
  const std::string metrics = Get(server.port(), "/metrics").body;
  EXPECT_EQ(Series(metrics, R"(achilles_config_reloads_total{result="ok"})"), 1) << metrics;
  EXPECT_EQ(Series(metrics, R"(achilles_config_reloads_total{result="failed"})"), 2) << metrics;
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0);
}

// No filesystem call throws past the configuration loader: a rule file that is a symlink loop stops
// start-up with the configuration-error exit naming the file (it used to abort with exit -6).
TEST(Cli, ASymlinkLoopIsAConfigurationErrorNamingTheFile) {
  ConfigCopy config;
  std::filesystem::remove(config.Join("rules/weight.json"));
  std::filesystem::create_symlink(config.Join("rules/weight.json"), config.Join("rules/weight.json"));
  ProcessResult r = RunBinary({"serve", "--port", "0", "--config", config.path()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("weight.json: Too many levels of symbolic links"), std::string::npos) << r.err;
  ConfigCopy server_loop;
  std::filesystem::remove(server_loop.Join("server.json"));
  std::filesystem::create_symlink(server_loop.Join("server.json"), server_loop.Join("server.json"));
  ProcessResult s = RunBinary({"serve", "--port", "0", "--config", server_loop.path()});
  EXPECT_EQ(s.exit_code, 3) << s.err;
  EXPECT_NE(s.err.find("server.json"), std::string::npos) << s.err;
}

// Both log formats: the text line an operator reads, and one JSON object a line for a log shipper (each
// with time, level and event; a request's with status, duration and request id) — and neither carries a
// patient identifier, resource content or token.
TEST(Cli, LogsCarryNoPatientDataOrTokens) {
  for (const std::string format : {"text", "json"}) {
    SCOPED_TRACE(format);
    ConfigCopy config;
    config.Edit("server.development.json", "\"accessLog\": false", "\"accessLog\": true");
    config.Edit("server.development.json", "\"logFormat\": \"text\"", "\"logFormat\": \"" + format + "\"");
    ServeProcess server({"--config", config.path()});
    ASSERT_NE(server.port(), 0);
    // Identifiers distinctive enough that only a leak can put them in the log (a short id like "c1" can
    // turn up by chance, e.g. in the random name of the configuration folder).
    std::string body =
        PatientView(WithConditions({Condition("cond-7f3a9e", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")}));
    body.replace(body.find("\"pat-1\""), 7, "\"pt-51c9d2\"");
    body.insert(
        1,
        "\"fhirServer\":\"https://ehr.example/fhir\",\"fhirAuthorization\":{\"access_token\":\"SECRET-TOKEN-123\","
        "\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"patient/*.read\",\"subject\":\"cds\"},");
    EXPECT_EQ(Post(server.port(), "/cds-services/achilles-patient-view", body).status, 200);
    std::string bad = body;
    bad.replace(bad.find("\"pt-51c9d2\""), 11, "\"pt 51c9d2\"");  // invalid patientId → 400
    EXPECT_EQ(Post(server.port(), "/cds-services/achilles-patient-view", bad).status, 400);
    EXPECT_EQ(Post(server.port(), "/cds-services/achilles-patient-view?patient=pt-51c9d2", body).status, 200);
    TestConnection c(server.port());
    c.Write(RawRequest("POST", "/cds-services/achilles-patient-view", bad, "application/json",
                       "Authorization: Bearer SECRET-JWT-456\r\nX-Request-Id: ehr-req-42\r\n"));
    EXPECT_EQ(c.Read().status, 400);
    server.Signal(SIGTERM);
    EXPECT_EQ(server.Wait(), 0);
    const std::string& log = server.err();
    if (format == "text") {
      EXPECT_NE(log.find("access POST /cds-services/achilles-patient-view 200"), std::string::npos) << log;
      // Every non-2xx answer leaves one line an operator can use: status, kind, service, field, duration.
      EXPECT_NE(log.find("refused 400 bad-request service=achilles-patient-view field=context.patientId "),
                std::string::npos)
          << log;
      EXPECT_NE(log.find(" req=ehr-req-42"), std::string::npos) << log;
    } else {
      int requests = 0;
      std::istringstream lines(log);
      for (std::string line; std::getline(lines, line);) {
        const rapidjson::Document d = Json(line);
        ASSERT_FALSE(d.HasParseError()) << "not one JSON object: " << line;
        ASSERT_TRUE(d.IsObject() && d.HasMember("time") && d.HasMember("level") && d.HasMember("event")) << line;
        const std::string event = d["event"].GetString();
        if (event != "access" && event != "refused") continue;
        ++requests;
        EXPECT_TRUE(d.HasMember("status") && d["status"].IsInt()) << line;
        EXPECT_TRUE(d.HasMember("duration_us") && d["duration_us"].IsInt64()) << line;
        EXPECT_TRUE(d.HasMember("request_id") && d["request_id"].GetStringLength() > 0) << line;
        EXPECT_EQ(std::string(d["service"].GetString()), "achilles-patient-view") << line;
      }
      EXPECT_EQ(requests, 4 + 2) << log;  // four access lines, two refusals
      EXPECT_NE(log.find(R"("event":"refused","service":"achilles-patient-view","status":400,"error":"bad-request","field":"context.patientId")"),
                std::string::npos)
          << log;
      EXPECT_NE(log.find(R"("request_id":"ehr-req-42")"), std::string::npos) << log;
    }
    for (const char* secret : {"SECRET-TOKEN-123", "SECRET-JWT-456", "pt-51c9d2", "pt 51c9d2", "51c9d2",
                               "Achilles tendinitis", "M76.62", "cond-7f3a9e"}) {
      EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in log:\n" << log;
    }
  }
}

}  // namespace
}  // namespace cds::test
