// Remembering what the clinician said (README, "Remember what the clinician said"), through the real HTTP
// server, a real SQLite card log and the recorder that follows it: after an override the same rule's card
// for the same patient and trigger is withheld for the rule's snoozeDays — recorded as withheld, explained —
// unless what triggered it changed; an accepted suggestion counts as done; critical cards are never snoozed
// by default; and once the days pass the card is shown again.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <set>

#include "audit/recorder.h"
#include "audit/snooze.h"
#include "audit/store.h"
#include "hooks/audit_log.h"
#include "hooks/service_call.h"
#include "tests/support/files.h"
#include "tests/support/http_client.h"
#include "tests/support/json.h"
#include "tests/support/metrics_text.h"
#include "tests/support/requests.h"
#include "tests/support/test_server.h"

namespace cds::test {
namespace {

constexpr int64_t kDay = 86400;

class Snoozing : public ::testing::Test {
 protected:
  Snoozing()
      : store_(dir_.Join("audit.db")),
        recorder_(audit::OpenStore(store_), Following()),
        log_(&recorder_, audit::Pseudonymizer(std::string(40, 'k')), &responses_, [this] { return now_.load(); }),
        server_(TestSettings(), ConfigDir(), hooks::TodayUtc, hooks::UnixNow, &log_, &metrics_) {
    metrics_.WatchSnoozes(&responses_);
  }

  audit::Recorder::Options Following() {
    audit::Recorder::Options o;
    o.follow = [this](audit::Store& s) { responses_.Follow(s, now_.load()); };
    return o;
  }
  struct Shown {
    std::set<std::string> topics;  // source.topic.code of each card
    std::string uuid_of(const std::string& topic) const { return uuids.count(topic) ? uuids.at(topic) : ""; }
    std::string suggestion_of(const std::string& topic) const { return suggestions.count(topic) ? suggestions.at(topic) : ""; }
    std::map<std::string, std::string> uuids, suggestions;
  };
  Shown Call(const std::string& service, const std::string& body) {
    const HttpResult r = Post(server_.port(), "/cds-services/" + service, body);
    EXPECT_EQ(r.status, 200) << r.body;
    Shown shown;
    rapidjson::Document d = Json(r.body);
    for (const auto& c : d["cards"].GetArray()) {
      const std::string topic = c["source"]["topic"]["code"].GetString();
      shown.topics.insert(topic);
      shown.uuids[topic] = c["uuid"].GetString();
      if (c.HasMember("suggestions")) shown.suggestions[topic] = c["suggestions"][0]["uuid"].GetString();
    }
    return shown;
  }
  void Respond(const std::string& service, const std::string& item) {
    ASSERT_EQ(Post(server_.port(), "/cds-services/" + service + "/feedback", R"({"feedback":[)" + item + "]}").status, 200);
    ASSERT_TRUE(recorder_.Flush(std::chrono::seconds(10)));  // written, and read back into the index
  }
  std::string Override(const std::string& uuid, const std::string& code) {
    return R"({"card":")" + uuid + R"(","outcome":"overridden","overrideReason":{"reason":{"code":")" + code +
           R"(","system":"https://achilles-cds.org/fhir/CodeSystem/override-reason"}},"outcomeTimestamp":")" +
           audit::FormatTimestamp(now_) + R"("})";
  }
  long Withheld(const std::string& rule) {
    EXPECT_TRUE(recorder_.Flush(std::chrono::seconds(10)));
    auto store = audit::OpenStore(store_);
    return std::stol(store->Query("SELECT count(*) FROM cards WHERE rule = $1 AND withheld = 1", {rule})[0][0]);
  }

  std::atomic<int64_t> now_{std::time(nullptr)};
  TempDir dir_;
  std::string store_;
  audit::ResponseIndex responses_;
  audit::Recorder recorder_;
  hooks::AuditLog log_;
  hooks::Metrics metrics_;
  TestServer server_;
};

const std::string kView = PatientView(
    WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg", "2026-11-10")}));

TEST_F(Snoozing, AnOverriddenCardIsWithheldForTheRulesDaysThenShownAgain) {
  const Shown first = Call("achilles-patient-view", kView);
  ASSERT_EQ(first.topics.count("eccentricRehab"), 1u);
  Respond("achilles-patient-view", Override(first.uuid_of("eccentricRehab"), "already-exercising"));

  EXPECT_EQ(Call("achilles-patient-view", kView).topics.count("eccentricRehab"), 0u);
  EXPECT_EQ(Withheld("eccentric-rehab"), 1);
  now_ += 20 * kDay;  // info cards: 21 days by default
  EXPECT_EQ(Call("achilles-patient-view", kView).topics.count("eccentricRehab"), 0u);
  now_ += 2 * kDay;
  EXPECT_EQ(Call("achilles-patient-view", kView).topics.count("eccentricRehab"), 1u);
  EXPECT_EQ(Withheld("eccentric-rehab"), 2);
  // What /metrics tells the operator: two shown, two withheld.
  const std::string scrape = metrics_.Render();
  EXPECT_EQ(Series(scrape, R"(achilles_cards_total{indicator="info",rule="eccentric-rehab",service="achilles-patient-view"})"), 2)
      << scrape;
  EXPECT_EQ(Series(scrape, R"(achilles_cards_snoozed_total{rule="eccentric-rehab",service="achilles-patient-view"})"), 2)
      << scrape;
  EXPECT_EQ(Series(scrape, "achilles_snooze_responses"), 1) << scrape;  // the one override, held
}

// An outcomeTimestamp ahead of the service's clock (a skewed EHR clock, or a bad value) counts from when the
// feedback was received: it never lengthens the snooze.
TEST_F(Snoozing, AFutureOutcomeTimestampDoesNotLengthenTheSnooze) {
  const Shown first = Call("achilles-patient-view", kView);
  std::string item = Override(first.uuid_of("eccentricRehab"), "already-exercising");
  const std::string at = audit::FormatTimestamp(now_);
  item.replace(item.find(at), at.size(), "2099-01-01T00:00:00Z");
  Respond("achilles-patient-view", item);
  EXPECT_EQ(Call("achilles-patient-view", kView).topics.count("eccentricRehab"), 0u);
  now_ += 22 * kDay;
  EXPECT_EQ(Call("achilles-patient-view", kView).topics.count("eccentricRehab"), 1u);
}

TEST_F(Snoozing, ANewDiagnosisOrAnotherPatientIsNotSnoozed) {
  const Shown first = Call("achilles-patient-view", kView);
  Respond("achilles-patient-view", Override(first.uuid_of("eccentricRehab"), "already-exercising"));
  const std::string both_sides = PatientView(WithConditions(
      {Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg", "2026-11-10"),
       Condition("c2", kIcd10Cm, "M76.61", "Achilles tendinitis, right leg", "2026-11-28")}));
  EXPECT_EQ(Call("achilles-patient-view", both_sides).topics.count("eccentricRehab"), 1u);
  std::string other = kView;
  for (std::size_t at; (at = other.find("pat-1")) != std::string::npos;) other.replace(at, 5, "pat-2");
  EXPECT_EQ(Call("achilles-patient-view", other).topics.count("eccentricRehab"), 1u);
  EXPECT_EQ(Withheld("eccentric-rehab"), 0);
}

TEST_F(Snoozing, AnAcceptedSuggestionCountsAsDone) {
  const Shown first = Call("achilles-patient-view", kView);
  Respond("achilles-patient-view", R"({"card":")" + first.uuid_of("eccentricRehab") +
                                       R"(","outcome":"accepted","acceptedSuggestions":[{"id":")" +
                                       first.suggestion_of("eccentricRehab") + R"("}],"outcomeTimestamp":")" +
                                       audit::FormatTimestamp(now_) + R"("})");
  EXPECT_EQ(Call("achilles-patient-view", kView).topics.count("eccentricRehab"), 0u);
}

TEST_F(Snoozing, CriticalCardsAreNeverSnoozedByDefault) {
  MedicationSpec m;
  m.id = "inj-1";
  m.medication = Concept({}, "Kenalog-40 injection");
  m.site = Concept({Coding(kSct, "61352006", "Structure of Achilles tendon")});
  const std::string sign = OrderSign({MedicationRequest(m)}, WithConditions({Condition(
                                         "c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg", "2026-11-10")}));
  const Shown first = Call("achilles-order-sign", sign);
  ASSERT_EQ(first.topics.count("steroidInjection"), 1u);
  Respond("achilles-order-sign", Override(first.uuid_of("steroidInjection"), "specialist-directed"));
  EXPECT_EQ(Call("achilles-order-sign", sign).topics.count("steroidInjection"), 1u);
  EXPECT_EQ(Withheld("steroid-injection"), 0);
}

TEST_F(Snoozing, ExplainSaysWhyACardIsWithheldAndRecordsNothing) {
  const Shown first = Call("achilles-patient-view", kView);
  Respond("achilles-patient-view", Override(first.uuid_of("eccentricRehab"), "already-exercising"));
  ASSERT_TRUE(recorder_.Flush(std::chrono::seconds(10)));
  auto before = audit::OpenStore(store_)->CountCards();
  std::string body = kView;
  auto report = hooks::ExplainServiceCall(*server_.state().Current()->engine, "achilles-patient-view", body,
                                          hooks::TodayUtc(), {}, nullptr, &log_);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_NE(report->find("withheld (snoozed): it was overridden on " + audit::FormatTimestamp(now_).substr(0, 10) +
                         " (\"already-exercising\"); this rule's info cards stay hidden 21 days"),
            std::string::npos)
      << *report;
  ASSERT_TRUE(recorder_.Flush(std::chrono::seconds(10)));
  EXPECT_EQ(audit::OpenStore(store_)->CountCards(), before);
}

TEST(Timestamps, Rfc3339IsParsedWithItsOffset) {
  EXPECT_EQ(audit::ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(audit::ParseTimestamp("2026-12-01T10:05:31Z"), 1796119531);
  EXPECT_EQ(audit::ParseTimestamp("2026-12-01T11:05:31.250+01:00"), 1796119531);
  EXPECT_EQ(audit::FormatTimestamp(1796119531), "2026-12-01T10:05:31Z");
  for (const char* bad : {"2026-12-01", "2026-12-01T10:05:31", "2026-13-01T10:05:31Z", "2026-12-01T10:05:31+0100",
                          "2026-12-01T10:05:31Zjunk", "2026-12-01T10:05:31.Z"}) {
    EXPECT_FALSE(audit::ParseTimestamp(bad)) << bad;
  }
}

}  // namespace
}  // namespace cds::test
