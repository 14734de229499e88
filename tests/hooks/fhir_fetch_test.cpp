// Fetching what the prefetch lacked, against a real FHIR server (Medplum's FhirRouter + MemoryRepository in
// tests/fhir-server): the same cards as with prefetch, and every fault — server down, too slow, 401, 500,
// malformed, paged, huge, a next link elsewhere — handled like an absent prefetch key, within the deadline.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>

#include "fhir/http_get.h"
#include "tests/support/fetch_requests.h"
#include "tests/support/fhir_server.h"
#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/json.h"
#include "tests/support/metrics_text.h"
#include "tests/support/process.h"
#include "tests/support/requests.h"
#include "tests/support/service_calls.h"
#include "tests/support/test_ca.h"
#include "tests/support/test_server.h"

namespace cds::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kDeadline = std::chrono::milliseconds(1500);

// What a clinician sees of a response: each card's indicator, summary, detail and suggestion labels.
std::string Seen(const std::string& response) {
  rapidjson::Document d = Json(response);
  if (d.HasParseError() || !d.HasMember("cards")) return "not a cards response: " + response;
  std::vector<std::string> cards;
  for (auto& c : d["cards"].GetArray()) {
    std::string s = std::string(c["indicator"].GetString()) + " | " + c["summary"].GetString() + " | " +
                    (c.HasMember("detail") ? c["detail"].GetString() : "");
    if (c.HasMember("suggestions")) {
      for (auto& g : c["suggestions"].GetArray()) s += " | " + std::string(g["label"].GetString());
    }
    cards.push_back(s);
  }
  std::sort(cards.begin(), cards.end());
  std::string out;
  for (const auto& c : cards) out += c + "\n";
  return out;
}

std::string ServiceOf(const std::string& body) {
  rapidjson::Document d = Json(body);
  const std::string hook = d["hook"].GetString();
  return "achilles-" + hook;
}

hooks::ServerSettings FetchSettings() {
  hooks::ServerSettings s = TestSettings();
  s.fhir_fetch.deadline = kDeadline;
  s.fhir_fetch.allow_plain_http = true;  // the test server is plain HTTP on loopback (TLS: its own tests)
  return s;
}

class Fetch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fhir_ = new FhirTestServer(); }
  static void TearDownTestSuite() {
    delete fhir_;
    fhir_ = nullptr;
  }
  void SetUp() override { fhir_->Clear(); }

  static FhirTestServer* fhir_;
};
FhirTestServer* Fetch::fhir_ = nullptr;

// The prefetch keys discovery lists for each service.
std::map<std::string, std::vector<std::string>> DiscoveryKeys(uint16_t port) {
  rapidjson::Document d = Json(Get(port, "/cds-services").body);
  std::map<std::string, std::vector<std::string>> out;
  for (auto& s : d["services"].GetArray()) {
    auto& keys = out[s["id"].GetString()];
    if (s.HasMember("prefetch")) {
      for (auto& m : s["prefetch"].GetObject()) keys.emplace_back(m.name.GetString());
    }
  }
  return out;
}

// Whether the request prefetches every key the service lists (with data or null, not an OperationOutcome).
bool CompletePrefetch(const std::string& body, const std::vector<std::string>& keys) {
  rapidjson::Document d = Json(body);
  if (!d.HasMember("prefetch") || !d["prefetch"].IsObject()) return false;
  for (const std::string& k : keys) {
    auto it = d["prefetch"].FindMember(k.c_str());
    if (it == d["prefetch"].MemberEnd()) return false;
    if (it->value.IsObject() && std::string(it->value["resourceType"].GetString()) == "OperationOutcome") return false;
  }
  return true;
}

// CDS Hooks §prefetch: the service "MAY" query fhirServer for what was not prefetched. Every scenario of the
// clinical table, its record loaded into the FHIR server and its prefetch left out, gives exactly the cards
// it gives with the prefetch. A scenario whose prefetch is partial instead has the gap filled.
TEST_F(Fetch, EveryScenarioGivesTheSameCardsFetchedAsPrefetched) {
  hooks::ServerSettings settings = FetchSettings();
  // Equivalence, not speed: the test server searches its memory linearly (~0.3 s a page of a 600-resource
  // record), so this test gives it time and large pages.
  settings.fhir_fetch.deadline = std::chrono::seconds(10);
  settings.fhir_fetch.page_size = 500;
  TestServer server(settings, ConfigDir(), TestToday);
  const auto discovery = DiscoveryKeys(server.port());
  std::size_t compared = 0, partial = 0;
  std::vector<std::string> differ;
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath("tests/data/scenarios"))) {
    const std::string path = entry.path().string();
    if (path.size() < 13 || path.compare(path.size() - 13, 13, ".request.json") != 0) continue;
    const std::string body = ReadFile(path);
    std::size_t resources = 0;
    fhir_->Clear();
    fhir_->Load(PrefetchedResources(body, resources));
    const std::string service = ServiceOf(body);
    // A scenario about a partial prefetch ("BMI not sent: says so") rightly differs once the rest is fetched:
    // there, fetching must fill what was missing (checked below), not reproduce the gap.
    if (!CompletePrefetch(body, discovery.at(service))) {
      ++partial;
      const HttpResult fetched = Post(server.port(), "/cds-services/" + service, WithoutPrefetch(body, fhir_->base()));
      EXPECT_EQ(fetched.body.find("Not checked (the EHR sent no data)"), std::string::npos)
          << entry.path().filename().string() << ": " << fetched.body;
      continue;
    }
    const HttpResult prefetched = Post(server.port(), "/cds-services/" + service, body);
    const HttpResult fetched = Post(server.port(), "/cds-services/" + service, WithoutPrefetch(body, fhir_->base()));
    ++compared;
    if (prefetched.status != fetched.status || Seen(prefetched.body) != Seen(fetched.body)) {
      differ.push_back(entry.path().filename().string() + "\n  prefetched " + std::to_string(prefetched.status) +
                       ": " + Seen(prefetched.body) + "  fetched " + std::to_string(fetched.status) + ": " +
                       Seen(fetched.body));
    }
  }
  std::printf("compared %zu scenarios fetched against prefetched; %zu with a partial prefetch checked as filled\n",
              compared, partial);
  EXPECT_GE(compared, 140u);
  EXPECT_GE(partial, 1u);
  std::string report;
  for (const auto& d : differ) report += d + "\n";
  EXPECT_TRUE(differ.empty()) << differ.size() << " of " << compared << " scenarios differ:\n" << report;
}

// A patient with left Achilles tendinopathy and a BMI: patient-view prompts a loading programme and weight.
Prefetch TendinopathyRecord() {
  Prefetch p = WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg", "2026-11-10")});
  p.bmi = {Bmi("b1", 31.5, "2026-11-01")};
  return p;
}

// Loads the record into the FHIR server; returns the patient-view call that must fetch it.
std::string LoadAndStrip(FhirTestServer& fhir, const Prefetch& record, const std::string& token = "") {
  const std::string body = PatientView(record);
  std::size_t n = 0;
  fhir.Load(PrefetchedResources(body, n));
  return WithoutPrefetch(body, fhir.base(), token);
}

struct Timed {
  HttpResult r;
  std::chrono::milliseconds took;
};
Timed PostTimed(uint16_t port, const std::string& body) {
  const auto start = Clock::now();
  HttpResult r = Post(port, "/cds-services/achilles-patient-view", body);
  return {r, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)};
}

// Every fault below must be answered by the fetch deadline plus the time to answer (generous: a loaded CI
// machine), never after the EHR has given up.
constexpr auto kAnswerBy = kDeadline + std::chrono::milliseconds(1500);

TEST_F(Fetch, FetchedRecordGivesTheCardsAndSendsTheTokenOnlyToFhirServer) {
  hooks::Metrics metrics;
  TestServer server(FetchSettings(), ConfigDir(), TestToday, hooks::UnixNow, nullptr, &metrics);
  fhir_->RequireToken("token-abc");
  const Timed t = PostTimed(server.port(), LoadAndStrip(*fhir_, TendinopathyRecord(), "token-abc"));
  ASSERT_EQ(t.r.status, 200) << t.r.body;
  EXPECT_NE(t.r.body.find("start a loading programme"), std::string::npos) << t.r.body;
  EXPECT_NE(t.r.body.find("BMI 31.5"), std::string::npos) << t.r.body;
  const std::string seen = fhir_->Seen();
  EXPECT_NE(seen.find("\"authorization\":\"Bearer token-abc\""), std::string::npos) << seen;
  EXPECT_NE(seen.find("\"accept\":\"application/fhir+json\""), std::string::npos) << seen;
  EXPECT_NE(seen.find("/Condition?patient=pat-1"), std::string::npos) << seen;
  EXPECT_NE(seen.find("code=http://loinc.org%7C39156-5"), std::string::npos) << seen;  // '|' encoded
  EXPECT_EQ(seen.find("\"authorization\":null"), std::string::npos) << seen;
  const std::string scrape = metrics.Render();
  EXPECT_EQ(Series(scrape, R"(achilles_prefetch_fetch_total{key="conditions",result="fetched"})"), 1) << scrape;
  EXPECT_EQ(scrape.find("token-abc"), std::string::npos) << scrape;
}

// The sandbox's open launch sends fhirServer without fhirAuthorization: fetch without a token.
TEST_F(Fetch, AnOpenServerIsAskedWithoutAToken) {
  TestServer server(FetchSettings(), ConfigDir(), TestToday);
  const Timed t = PostTimed(server.port(), LoadAndStrip(*fhir_, TendinopathyRecord()));
  ASSERT_EQ(t.r.status, 200) << t.r.body;
  EXPECT_NE(t.r.body.find("start a loading programme"), std::string::npos);
  const std::string seen = fhir_->Seen();
  EXPECT_NE(seen.find("\"authorization\":null"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("Bearer"), std::string::npos) << seen;
}

// Only what the prefetch lacked is fetched: a complete prefetch never calls the server.
TEST_F(Fetch, ACompletePrefetchIsNotFetchedAgain) {
  TestServer server(FetchSettings(), ConfigDir(), TestToday);
  std::string body = PatientView(TendinopathyRecord());
  body.insert(1, "\"fhirServer\":\"" + fhir_->base() + "\",");
  EXPECT_EQ(Post(server.port(), "/cds-services/achilles-patient-view", body).status, 200);
  EXPECT_EQ(fhir_->Seen(), "{\"requests\":[]}");
}

// A key the prefetch has is used; only the absent one is asked for.
TEST_F(Fetch, OnlyTheAbsentKeysAreAskedFor) {
  TestServer server(FetchSettings(), ConfigDir(), TestToday);
  fhir_->Load(Bundle({Bmi("b1", 33.0, "2026-11-01")}, "collection"));
  std::string body = PatientView(TendinopathyRecord());
  // Drop "bmi" from the prefetch; keep the rest.
  rapidjson::Document d = Json(body);
  d["prefetch"].RemoveMember("bmi");
  d.AddMember("fhirServer", rapidjson::Value(fhir_->base().c_str(), d.GetAllocator()), d.GetAllocator());
  const HttpResult r = Post(server.port(), "/cds-services/achilles-patient-view", Write(d));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("BMI 33.0"), std::string::npos) << r.body;  // from the server, not the prefetch's 31.5
  const std::string seen = fhir_->Seen();
  EXPECT_NE(seen.find("/Observation?"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("/Condition?"), std::string::npos) << seen;
}

struct FaultCase {
  const char* name;
  const char* fault;      // for /Condition (required by every patient-view rule)
  const char* says;       // in the 412's OperationOutcome
  const char* reason;     // the /metrics word for it
};

// A fault on the required key is an unavailable key: 412 naming it and the reason, by the deadline.
TEST_F(Fetch, EachFaultOnRequiredDataIs412NamingKeyAndReasonByTheDeadline) {
  const FaultCase cases[] = {
      {"401", R"({"prefix":"/Condition","status":401,"body":"{\"resourceType\":\"OperationOutcome\"}"})",
       "HTTP 401 (the access token was refused)", "unauthorized"},
      {"500", R"({"prefix":"/Condition","status":500,"body":"oops","contentType":"text/plain"})",
       "HTTP 500 (the FHIR server failed)", "server_error"},
      {"malformed", R"({"prefix":"/Condition","status":200,"body":"{\"resourceType\":\"Bundle\",\"entry\":["})",
       "not FHIR JSON", "not_json"},
      {"OperationOutcome", R"({"prefix":"/Condition","status":200,"body":"{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"exception\"}]}"})",
       "the server answered with an OperationOutcome", "operation_outcome"},
      {"slow", R"({"prefix":"/Condition","delayMs":6000})", "no answer within the 1500 ms fetch deadline", "deadline"},
      {"off-server next page",
       R"({"prefix":"/Condition","status":200,"body":"{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"link\":[{\"relation\":\"next\",\"url\":\"https://elsewhere.example/fhir/Condition?page=2\"}],\"entry\":[]}"})",
       "a next page outside fhirServer (not followed)", "foreign_link"},
      {"not a Bundle", R"({"prefix":"/Condition","status":200,"body":"{\"resourceType\":\"Patient\",\"id\":\"x\"}"})",
       "not a Condition answer", "wrong_resource"},
  };
  hooks::Metrics metrics;
  TestServer server(FetchSettings(), ConfigDir(), TestToday, hooks::UnixNow, nullptr, &metrics);
  for (const FaultCase& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string series = R"(achilles_prefetch_fetch_total{key="conditions",result=")" + std::string(c.reason) + "\"}";
    const double before = std::max(0.0, Series(metrics.Render(), series));
    fhir_->Clear();
    fhir_->Fault(c.fault);
    const Timed t = PostTimed(server.port(), LoadAndStrip(*fhir_, TendinopathyRecord()));
    EXPECT_EQ(t.r.status, 412) << t.r.body;
    EXPECT_NE(t.r.body.find("\\\"conditions\\\" (absent; fhirServer: " + std::string(c.says)), std::string::npos)
        << t.r.body;
    EXPECT_LT(t.took, kAnswerBy);
    EXPECT_EQ(Series(metrics.Render(), series), before + 1) << metrics.Render();
  }
}

// A fault on optional data only: the rules run, and the card says what it could not check.
TEST_F(Fetch, AFaultOnOptionalDataStillGivesTheCardSayingWhatWasNotChecked) {
  TestServer server(FetchSettings(), ConfigDir(), TestToday);
  fhir_->Fault(R"({"prefix":"/Observation","delayMs":6000})");
  const Timed t = PostTimed(server.port(), LoadAndStrip(*fhir_, TendinopathyRecord()));
  ASSERT_EQ(t.r.status, 200) << t.r.body;
  EXPECT_NE(t.r.body.find("start a loading programme"), std::string::npos) << t.r.body;
  EXPECT_EQ(t.r.body.find("BMI 31.5"), std::string::npos) << t.r.body;
  EXPECT_LT(t.took, kAnswerBy);
}

TEST_F(Fetch, AServerThatIsDownIs412ByTheDeadline) {
  TestServer server(FetchSettings(), ConfigDir(), TestToday);
  FhirTestServer gone;
  const std::string body = LoadAndStrip(gone, TendinopathyRecord());
  gone.Stop();
  const Timed t = PostTimed(server.port(), body);
  EXPECT_EQ(t.r.status, 412) << t.r.body;
  EXPECT_NE(t.r.body.find("fhirServer: could not connect"), std::string::npos) << t.r.body;
  EXPECT_LT(t.took, kAnswerBy);
}

// Searches follow Bundle.link[next]: the tendinopathy is on the third page of 45 conditions. More pages than
// allowed is not a silent truncation (a rupture on page 4 must not be missed): the key is unavailable.
TEST_F(Fetch, PagesAreFollowedUpToTheCapAndNeverSilentlyTruncated) {
  Prefetch record;
  for (int i = 0; i < 44; ++i) {
    record.conditions.push_back(Condition("h" + std::to_string(i), kIcd10Cm, "I10", "Essential hypertension"));
  }
  record.conditions.push_back(Condition("z-last", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg", "2026-11-10"));
  hooks::ServerSettings settings = FetchSettings();
  settings.fhir_fetch.page_size = 20;
  {
    TestServer server(settings, ConfigDir(), TestToday);
    const Timed t = PostTimed(server.port(), LoadAndStrip(*fhir_, record));
    ASSERT_EQ(t.r.status, 200) << t.r.body;
    EXPECT_NE(t.r.body.find("start a loading programme"), std::string::npos) << t.r.body;
    const std::string seen = fhir_->Seen();
    EXPECT_NE(seen.find("_offset=40"), std::string::npos) << seen;
  }
  settings.fhir_fetch.max_pages = 2;
  TestServer server(settings, ConfigDir(), TestToday);
  const Timed t = PostTimed(server.port(), LoadAndStrip(*fhir_, record));
  EXPECT_EQ(t.r.status, 412) << t.r.body;
  EXPECT_NE(t.r.body.find("more than 2 pages of results"), std::string::npos) << t.r.body;
}

// A huge Bundle is cut off at the configured size, not held in memory: that key is unavailable.
TEST_F(Fetch, AHugeAnswerIsCutOffAtTheLimit) {
  hooks::ServerSettings settings = FetchSettings();
  settings.fhir_fetch.max_bytes = 1 << 20;
  // The size, not the clock, must end it: a deadline the sanitizer build under load cannot reach first.
  settings.fhir_fetch.deadline = std::chrono::seconds(20);
  TestServer server(settings, ConfigDir(), TestToday);
  fhir_->Fault(std::string(R"({"prefix":"/Condition","hugeEntries":100000,"resource":)") +
               Condition("c", kIcd10Cm, "I10", "Essential hypertension") + "}");
  const Timed t = PostTimed(server.port(), LoadAndStrip(*fhir_, TendinopathyRecord()));
  EXPECT_EQ(t.r.status, 412) << t.r.body;
  EXPECT_NE(t.r.body.find("larger than 1048576 bytes"), std::string::npos) << t.r.body;
  EXPECT_LT(t.took, settings.fhir_fetch.deadline);
}

// A bearer token never travels over plain HTTP unless the site allows it; the server is not even asked.
TEST_F(Fetch, ATokenIsNotSentOverPlainHttp) {
  hooks::ServerSettings settings = FetchSettings();
  settings.fhir_fetch.allow_plain_http = false;
  TestServer server(settings, ConfigDir(), TestToday);
  const Timed t = PostTimed(server.port(), LoadAndStrip(*fhir_, TendinopathyRecord(), "token-abc"));
  EXPECT_EQ(t.r.status, 412) << t.r.body;
  EXPECT_NE(t.r.body.find("never sent over plain HTTP"), std::string::npos) << t.r.body;
  EXPECT_EQ(fhir_->Seen(), "{\"requests\":[]}");
}

// Fetching can be turned off: then a call without the prefetch is a 412 at once, as before.
TEST_F(Fetch, FetchingTurnedOffIs412WithoutAsking) {
  hooks::ServerSettings settings = FetchSettings();
  settings.fhir_fetch_enabled = false;
  TestServer server(settings, ConfigDir(), TestToday);
  const Timed t = PostTimed(server.port(), LoadAndStrip(*fhir_, TendinopathyRecord()));
  EXPECT_EQ(t.r.status, 412) << t.r.body;
  EXPECT_NE(t.r.body.find("not set up to query fhirServer"), std::string::npos) << t.r.body;
  EXPECT_EQ(fhir_->Seen(), "{\"requests\":[]}");
}

// TLS to the FHIR server: a certificate from a trusted CA for the host called works; an untrusted CA, or a
// certificate for another host name, is refused (and the token is not sent).
TEST(FetchTls, CertificatesAndHostNamesAreVerified) {
  TestCa ca;
  TempDir dir;
  FhirTestServer good(ca.Issue("127.0.0.1", {"IP:127.0.0.1", "DNS:localhost"}));
  FhirTestServer wrong_name(ca.Issue("other.example", {"DNS:other.example"}));
  TestCa stranger("another CA");
  FhirTestServer untrusted(stranger.Issue("127.0.0.1", {"IP:127.0.0.1"}));

  hooks::ServerSettings settings = FetchSettings();
  settings.fhir_fetch.allow_plain_http = false;
  settings.fhir_fetch.deadline = std::chrono::seconds(20);  // verification, not speed (handshakes under ASan)
  settings.fhir_ca_file = ca.cert();
  TestServer server(settings, ConfigDir(), TestToday);
  for (FhirTestServer* f : {&good, &wrong_name, &untrusted}) f->RequireToken("token-abc");

  const Timed ok = PostTimed(server.port(), LoadAndStrip(good, TendinopathyRecord(), "token-abc"));
  EXPECT_EQ(ok.r.status, 200) << ok.r.body;
  EXPECT_NE(ok.r.body.find("start a loading programme"), std::string::npos) << ok.r.body;

  for (FhirTestServer* f : {&wrong_name, &untrusted}) {
    const Timed t = PostTimed(server.port(), LoadAndStrip(*f, TendinopathyRecord(), "token-abc"));
    EXPECT_EQ(t.r.status, 412) << t.r.body;
    EXPECT_NE(t.r.body.find("TLS failed"), std::string::npos) << t.r.body;
    EXPECT_EQ(f->Seen(), "{\"requests\":[]}");
  }
}

// A caFile that is not PEM certificates stops the start, naming the file, rather than failing every call.
TEST(FetchTls, AnUnusableCaFileIsAConfigurationError) {
  TempDir dir;
  WriteFile(dir.Join("not-a-ca.pem"), "-----BEGIN NOTHING-----\n");
  for (const std::string& file : {dir.Join("not-a-ca.pem"), dir.Join("missing.pem")}) {
    fhir::HttpGetter::Options options;
    options.ca_file = file;
    try {
      fhir::HttpGetter getter(options);
      ADD_FAILURE() << "accepted " << file;
    } catch (const fhir::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(file + ": cannot load trusted certificates"), std::string::npos) << e.what();
    }
  }
}

// The access token never reaches a log line, even when fetching fails (the real binary, its stderr).
TEST_F(Fetch, TheTokenIsNeverLogged) {
  ConfigCopy config;
  config.Edit("server.json", "\"allowPlainHttp\": false", "\"allowPlainHttp\": true");
  TempDir dir;
  WriteFile(dir.Join("req.json"), LoadAndStrip(*fhir_, TendinopathyRecord(), "secret-token-4711"));
  fhir_->RequireToken("another-token");
  const ProcessResult r = RunBinary({"evaluate", "--service", "achilles-patient-view", "--today", "2026-11-28",
                                     "--config", config.path(), dir.Join("req.json")});
  EXPECT_NE(r.err.find("HTTP 401"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("secret-token-4711"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("secret-token-4711"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace cds::test
