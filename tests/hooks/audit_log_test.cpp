// The card log and the feedback endpoint through the real HTTP server into a real SQLite file: every card a
// response carries is recorded with its uuids, rule, indicator and codes, and pseudonymous keys instead of
// ids (the file holds no patient, user or encounter id); feedback is linked by the card's uuid, repeats are
// kept once, feedback for a card this deployment never issued is kept, and bad feedback is a 400 naming the
// item and field, with nothing of the batch kept.
#include "hooks/audit_log.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sqlite3.h>

#include <thread>

#include "audit/store.h"
#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/json.h"
#include "tests/support/metrics_text.h"
#include "tests/support/requests.h"
#include "tests/support/test_server.h"

namespace cds::test {
namespace {

const std::string kSecret(40, 's');

// Rows of one query as "a|b|c" strings.
std::vector<std::string> Rows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::vector<std::string> out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(s); ++i) {
      const unsigned char* t = sqlite3_column_text(s, i);
      row += (i ? "|" : "") + std::string(t != nullptr ? reinterpret_cast<const char*>(t) : "");
    }
    out.push_back(row);
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

class AuditLogHttp : public ::testing::Test {
 protected:
  AuditLogHttp()
      : recorder_(audit::OpenStore(dir_.Join("audit.db")), {}),
        log_(&recorder_, audit::Pseudonymizer(kSecret)),
        server_(TestSettings(), ConfigDir(), hooks::TodayUtc, hooks::UnixNow, &log_) {}
  std::string Db() const { return dir_.Join("audit.db"); }
  void Flush() { ASSERT_TRUE(recorder_.Flush(std::chrono::seconds(10))); }
  HttpResult Feedback(const std::string& body, const std::string& service = "achilles-patient-view") {
    return Post(server_.port(), "/cds-services/" + service + "/feedback", body);
  }

  TempDir dir_;
  audit::Recorder recorder_;
  hooks::AuditLog log_;
  TestServer server_;
};

TEST_F(AuditLogHttp, EveryCardIsRecordedWithPseudonymsAndItsFeedbackLinks) {
  Prefetch p = WithConditions({Condition("cond-77", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg", "2026-11-10")});
  const HttpResult r = Post(server_.port(), "/cds-services/achilles-patient-view", PatientView(p));
  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = Json(r.body);
  ASSERT_GE(d["cards"].Size(), 1u);
  const rapidjson::Value& card = d["cards"][0];
  const std::string card_uuid = card["uuid"].GetString();
  const std::string suggestion = card["suggestions"][0]["uuid"].GetString();
  Flush();

  const auto cards = Rows(Db(), "SELECT card_uuid, service, hook, rule, indicator, suggestion_uuids, evidence, "
                                "patient_key, withheld FROM cards ORDER BY rowid");
  ASSERT_EQ(cards.size(), d["cards"].Size());
  const std::string patient_key = audit::Pseudonymizer(kSecret).Key("pat-1");
  EXPECT_EQ(cards[0].substr(0, card_uuid.size()), card_uuid);
  EXPECT_NE(cards[0].find("|achilles-patient-view|patient-view|eccentric-rehab|info|"), std::string::npos) << cards[0];
  EXPECT_NE(cards[0].find(suggestion), std::string::npos) << cards[0];
  EXPECT_NE(cards[0].find("http://hl7.org/fhir/sid/icd-10-cm|M76.62"), std::string::npos) << cards[0];
  EXPECT_NE(cards[0].find("|" + patient_key + "|0"), std::string::npos) << cards[0];

  // Accepted with its suggestion, then overridden with a reason: both kept, linked to the card.
  const std::string accepted = R"({"feedback":[{"card":")" + card_uuid + R"(","outcome":"accepted",
      "acceptedSuggestions":[{"id":")" + suggestion + R"("}],"outcomeTimestamp":"2026-12-01T10:05:31Z"}]})";
  EXPECT_EQ(Feedback(accepted).status, 200);
  EXPECT_EQ(Feedback(accepted).status, 200);  // the EHR retried: kept once
  EXPECT_EQ(Feedback(R"({"feedback":[{"card":")" + card_uuid + R"(","outcome":"overridden","overrideReason":{
      "reason":{"system":"http://example.org/r","code":"already-doing"},"userComment":"Patient Jane Doe says so"},
      "outcomeTimestamp":"2026-12-01T10:06:00Z"}]})").status, 200);
  Flush();
  const auto linked = Rows(Db(), "SELECT f.outcome, f.accepted_suggestions, f.override_code, f.has_comment, c.rule "
                                 "FROM feedback f JOIN cards c ON c.card_uuid = f.card_uuid ORDER BY f.outcome_at");
  ASSERT_EQ(linked.size(), 2u);
  EXPECT_EQ(linked[0], "accepted|" + suggestion + "||0|eccentric-rehab");
  EXPECT_EQ(linked[1], "overridden||already-doing|1|eccentric-rehab");

  // No identifier, name or free text anywhere in the database file.
  recorder_.Stop();
  const std::string bytes = ReadFile(Db()) + ReadFile(Db() + "-wal");
  for (const char* secret : {"pat-1", "cond-77", "Practitioner/", "Jane Doe", "Achilles tendinitis"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
}

// Rows are refilled card after card (their strings keep their buffers): each row has its own card's
// codes, suggestions and rule, none left over from the card before — a card with fewer codes after one
// with more, a repeated code kept once, a withheld card with no suggestion.
TEST(AuditLogRows, EachRowHoldsOnlyItsOwnCardsCodes) {
  TempDir dir;
  audit::Recorder recorder(audit::OpenStore(dir.Join("audit.db")), {});
  hooks::AuditLog log(&recorder, audit::Pseudonymizer(kSecret));
  std::vector<cards::Card> cards(3);
  cards[0].rule = cards::RuleId::kSteroidInjection;
  auto coded = [](std::string_view type, std::string_view id, std::string_view system, std::string_view code) {
    cards::Evidence e;
    e.resource_type = type;
    e.resource_id = id;
    e.system = system;
    e.code = code;
    return e;
  };
  const std::string rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm", icd = "http://hl7.org/fhir/sid/icd-10-cm";
  cards[0].evidence = {coded("MedicationRequest", "m1", rxnorm, "1085728"), coded("Condition", "c1", icd, "M76.62"),
                       coded("Condition", "c2", icd, "M76.62")};
  cards[1].rule = cards::RuleId::kFluoroquinolone;
  cards[1].evidence = {coded("MedicationRequest", "m2", rxnorm, "203563")};
  cards[2].rule = cards::RuleId::kImmobilisation;
  hooks::HookRequest request;
  request.hook = cards::Hook::kOrderSelect;
  request.hook_instance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea";
  request.patient_id = "pat-9";
  hooks::AuditLog::Call call = log.Screen(request, cards);
  ASSERT_EQ(call.triggers.size(), 3u);
  const std::vector<hooks::IssuedUuids> issued = {{"u-0", {"s-0a", "s-0b"}}, {"u-1", {"s-1"}}, {"u-2", {}}};
  EXPECT_GT(log.Record(call, request, "achilles-order-select", cards, issued), 0);
  ASSERT_TRUE(recorder.Flush(std::chrono::seconds(10)));
  EXPECT_EQ(Rows(dir.Join("audit.db"), "SELECT card_uuid, rule, suggestion_uuids, evidence FROM cards ORDER BY card_uuid"),
            (std::vector<std::string>{
                "u-0|steroid-injection|s-0a s-0b|http://www.nlm.nih.gov/research/umls/rxnorm|1085728 "
                "http://hl7.org/fhir/sid/icd-10-cm|M76.62",
                "u-1|fluoroquinolone|s-1|http://www.nlm.nih.gov/research/umls/rxnorm|203563",
                "u-2|immobilisation||"}));
}

TEST_F(AuditLogHttp, FeedbackForAnUnknownCardIsKeptAndBadFeedbackKeepsNothing) {
  EXPECT_EQ(Feedback(ReadFile(SourcePath("tests/data/spec-examples/index-21-example-overridden-guidance-with-overrid.json"))).status, 200);
  Flush();
  EXPECT_EQ(Rows(Db(), "SELECT count(*) FROM feedback f LEFT JOIN cards c ON c.card_uuid = f.card_uuid "
                       "WHERE c.card_uuid IS NULL")[0], "1");

  // One bad item refuses the whole batch, naming it; the good item beside it is not kept.
  const HttpResult bad = Feedback(R"({"feedback":[
      {"card":"a1","outcome":"overridden","outcomeTimestamp":"2026-12-01T10:00:00Z"},
      {"card":"a2","outcome":"maybe","outcomeTimestamp":"2026-12-01T10:00:00Z"}]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"resourceType\":\"OperationOutcome\""), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("\"expression\":[\"feedback[1].outcome\"]"), std::string::npos) << bad.body;
  EXPECT_EQ(Feedback("{\"feedback\": [").status, 400);
  EXPECT_EQ(Feedback(ReadFile(SourcePath("tests/data/spec-examples/index-19-example-suggestion-accepted.json")),
                     "no-such-service").status, 404);
  EXPECT_EQ(Get(server_.port(), "/cds-services/achilles-patient-view/feedback").status, 405);
  EXPECT_EQ(Post(server_.port(), "/cds-services/achilles-patient-view/feedback", "{}", "text/plain").status, 415);
  Flush();
  EXPECT_EQ(Rows(Db(), "SELECT count(*) FROM feedback")[0], "1");
}

// A card log that cannot take feedback now (its queue full: here one event, with a minute's flush interval)
// refuses it with 503 and Retry-After, so the EHR sends it again and nothing is lost.
TEST(AuditLogFull, FeedbackIsRefused503WithRetryAfter) {
  TempDir dir;
  audit::Recorder::Options options;
  options.capacity = 1;
  options.flush_interval = std::chrono::minutes(1);
  audit::Recorder recorder(audit::OpenStore(dir.Join("audit.db")), options);
  hooks::AuditLog log(&recorder, audit::Pseudonymizer(kSecret));
  hooks::ServerSettings settings = TestSettings();
  settings.audit.durable_before_answer = false;  // the answer leaves with its card still queued
  TestServer server(settings, ConfigDir(), hooks::TodayUtc, hooks::UnixNow, &log);
  const std::string view = PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")}));
  ASSERT_EQ(Post(server.port(), "/cds-services/achilles-patient-view", view).status, 200);  // its card fills the queue
  const HttpResult r = Post(server.port(), "/cds-services/achilles-patient-view/feedback",
                            ReadFile(SourcePath("tests/data/spec-examples/index-21-example-overridden-guidance-with-overrid.json")));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.header("retry-after"), "1");
  EXPECT_NE(r.body.find("send it again"), std::string::npos) << r.body;
  EXPECT_EQ(recorder.stats().refused, 1);
}

}  // namespace
}  // namespace cds::test

namespace cds::test {
namespace {

// The real binary with its card log in a scratch folder: SIGTERM writes what is still queued before the
// process ends; what was committed survives kill -9, and the next start opens the same file and the same
// pseudonym secret (the same patient keeps the same key).
class AuditProcess : public ::testing::Test {
 protected:
  std::string Settings(int flush_ms, bool durable = true) {
    const std::string file = dir_.Join("server.json");
    WriteFile(file, R"({"authentication": {"required": false}, "fhirFetch": {"enabled": false},
        "audit": {"dataDir": ")" + dir_.Join("data") + R"(", "flushIntervalMs": )" + std::to_string(flush_ms) +
                        R"(, "durableBeforeAnswer": )" + (durable ? "true" : "false") + "}}");
    return file;
  }
  long Cards() { return std::stol(Rows(dir_.Join("data/audit.db"), "SELECT count(*) FROM cards")[0]); }
  static void Call(uint16_t port, int n) {
    const std::string body = PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")}));
    for (int i = 0; i < n; ++i) ASSERT_EQ(Post(port, "/cds-services/achilles-patient-view", body).status, 200);
  }
  TempDir dir_;
};

// With durableBeforeAnswer off, answers leave before their cards are written; SIGTERM still writes them.
TEST_F(AuditProcess, SigtermWritesWhatIsStillQueued) {
  ServeProcess serve({"--config", ConfigDir(), "--settings", Settings(60'000, /*durable=*/false)});
  ASSERT_NE(serve.port(), 0) << serve.err();
  Call(serve.port(), 20);
  EXPECT_EQ(Cards(), 0);  // a minute's flush interval: all of it is still queued
  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(), 0) << serve.err();
  EXPECT_GE(Cards(), 20);  // every answered call's cards (one or more each)
  EXPECT_NE(serve.err().find("audit: "), std::string::npos) << serve.err();
}

// durableBeforeAnswer (the default): each answer leaves once its cards survive the process being killed —
// in the card journal, with no wait for a commit (a minute's flush interval here) — so a kill -9 right after
// the answers has lost none of them: the next start on the folder writes them. The journal holds
// pseudonymous keys only, like the database.
TEST_F(AuditProcess, AnAnsweredCardSurvivesKillMinus9WithoutWaitingForItsCommit) {
  {
    ServeProcess serve({"--config", ConfigDir(), "--settings", Settings(60'000)});
    ASSERT_NE(serve.port(), 0) << serve.err();
    const auto start = std::chrono::steady_clock::now();
    Call(serve.port(), 20);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    EXPECT_EQ(Cards(), 0);  // none committed yet: the answers did not wait for it
    const std::string journal = ReadFile(dir_.Join("data/card-journal.0"));
    EXPECT_NE(journal.find("eccentric-rehab"), std::string::npos) << "the cards are in the journal";
    for (const char* raw : {"pat-1", "enc-1", "Practitioner/", "Achilles tendinitis"}) {
      EXPECT_EQ(journal.find(raw), std::string::npos) << raw;
    }
    serve.Signal(SIGKILL);
    serve.Wait();
  }
  EXPECT_EQ(Cards(), 0);
  ServeProcess again({"--config", ConfigDir(), "--settings", Settings(60'000)});
  ASSERT_NE(again.port(), 0) << again.err();
  EXPECT_GE(Cards(), 20);  // written at start, before it listened
  EXPECT_NE(again.err().find("card record(s) recovered from the journal"), std::string::npos) << again.err();
  EXPECT_GE(Series(Get(again.port(), "/metrics").body, "achilles_card_log_recovered_total"), 20);
  again.Signal(SIGTERM);
  EXPECT_EQ(again.Wait(), 0);
  EXPECT_GE(Cards(), 20);
}

// An orchestrator may stop a replica the moment it says it listens: that SIGTERM is graceful too (exit 0,
// the queue drained), never the default action that kills the process.
TEST_F(AuditProcess, ASigtermTheMomentItListensIsGraceful) {
  for (int i = 0; i < 5; ++i) {
    ServeProcess serve({"--config", ConfigDir(), "--settings", Settings(20)});
    ASSERT_NE(serve.port(), 0) << serve.err();
    serve.Signal(SIGTERM);
    EXPECT_EQ(serve.Wait(), 0) << serve.err();
  }
}

TEST_F(AuditProcess, WhatIsCommittedSurvivesKillMinus9) {
  long committed = 0;
  std::string first_key;
  {
    ServeProcess serve({"--config", ConfigDir(), "--settings", Settings(20)});
    ASSERT_NE(serve.port(), 0) << serve.err();
    Call(serve.port(), 20);
    for (int i = 0; i < 200 && Cards() < 20; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    committed = Cards();
    ASSERT_GE(committed, 20);
    first_key = Rows(dir_.Join("data/audit.db"), "SELECT patient_key FROM cards LIMIT 1")[0];
    serve.Signal(SIGKILL);
    serve.Wait();
  }
  EXPECT_EQ(Cards(), committed);
  EXPECT_EQ(Rows(dir_.Join("data/audit.db"), "PRAGMA integrity_check")[0], "ok");
  ServeProcess again({"--config", ConfigDir(), "--settings", Settings(20)});
  ASSERT_NE(again.port(), 0) << again.err();
  Call(again.port(), 1);
  for (int i = 0; i < 200 && Cards() == committed; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto keys = Rows(dir_.Join("data/audit.db"), "SELECT DISTINCT patient_key FROM cards");
  EXPECT_EQ(keys, std::vector<std::string>{first_key});  // same secret after the restart
}

}  // namespace
}  // namespace cds::test
