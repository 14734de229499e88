// hooks/feedback.cpp: CDS Hooks 2.0 §Feedback. The specification's three examples are read as written; every
// malformed item is a 400 naming the item and the field, so the EHR knows what to fix.
#include "hooks/feedback.h"

#include <gtest/gtest.h>

#include "tests/support/files.h"

namespace cds::hooks {
namespace {

using test::ReadFile;
using test::SourcePath;

fhir::Result<std::vector<audit::FeedbackItem>> Parse(std::string body) {
  return ParseFeedback(body, "achilles-patient-view", "2026-12-01T10:00:00Z");
}

TEST(Feedback, TheSpecificationsExamplesAreRead) {
  auto accepted = Parse(ReadFile(SourcePath("tests/data/spec-examples/index-19-example-suggestion-accepted.json")));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  ASSERT_EQ(accepted->size(), 1u);
  const audit::FeedbackItem& a = (*accepted)[0];
  EXPECT_EQ(a.card_uuid, "4e0a3a1e-3283-4575-ab82-028d55fe2719");
  EXPECT_EQ(a.outcome, audit::Outcome::kAccepted);
  EXPECT_EQ(a.accepted_suggestions, std::vector<std::string>{"e56e1945-20b3-4393-8503-a1a20fd73152"});
  EXPECT_EQ(a.outcome_at, "2021-12-11T10:05:31Z");
  EXPECT_EQ(a.received_at, "2026-12-01T10:00:00Z");
  EXPECT_EQ(a.service, "achilles-patient-view");

  auto plain = Parse(ReadFile(SourcePath("tests/data/spec-examples/index-20-example-overridden-guidance-without-over.json")));
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ((*plain)[0].outcome, audit::Outcome::kOverridden);
  EXPECT_EQ((*plain)[0].override_code, "");
  EXPECT_FALSE((*plain)[0].has_comment);

  auto reason = Parse(ReadFile(SourcePath("tests/data/spec-examples/index-21-example-overridden-guidance-with-overrid.json")));
  ASSERT_TRUE(reason.ok()) << reason.error().message;
  EXPECT_EQ((*reason)[0].override_system, "https://example.com/cds-hooks/override-reason-system");
  EXPECT_EQ((*reason)[0].override_code, "d7ecf885");
  EXPECT_TRUE((*reason)[0].has_comment);  // that a comment came, never its text
}

TEST(Feedback, ABatchAndUnknownMembersAreRead) {
  auto batch = Parse(R"({"feedback":[
      {"card":"c1","outcome":"overridden","outcomeTimestamp":"2026-12-01T09:00:00.250+01:00","extension":{"x":1}},
      {"card":"c2","outcome":"accepted","acceptedSuggestions":[{"id":"s1"},{"id":"s2"}],
       "outcomeTimestamp":"2026-12-01T09:01:00Z"}]})");
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  ASSERT_EQ(batch->size(), 2u);
  EXPECT_EQ((*batch)[1].accepted_suggestions.size(), 2u);
}

TEST(Feedback, EveryMalformedItemNamesItsField) {
  const std::string ok_item = R"({"card":"c0","outcome":"overridden","outcomeTimestamp":"2026-12-01T09:00:00Z"})";
  const struct {
    std::string body, expression;
  } cases[] = {
      {"[]", "feedback"},
      {"{}", "feedback"},
      {R"({"feedback":{}})", "feedback"},
      {R"({"feedback":[]})", "feedback"},
      {R"({"feedback":[)" + ok_item + R"(, 7]})", "feedback[1]"},
      {R"({"feedback":[{"outcome":"overridden","outcomeTimestamp":"2026-12-01T09:00:00Z"}]})", "feedback[0].card"},
      {R"({"feedback":[{"card":"","outcome":"overridden","outcomeTimestamp":"2026-12-01T09:00:00Z"}]})", "feedback[0].card"},
      {R"({"feedback":[{"card":"a b","outcome":"overridden","outcomeTimestamp":"2026-12-01T09:00:00Z"}]})", "feedback[0].card"},
      {R"({"feedback":[)" + ok_item + R"(,{"card":"c1","outcome":"ignored","outcomeTimestamp":"2026-12-01T09:00:00Z"}]})",
       "feedback[1].outcome"},
      {R"({"feedback":[{"card":"c1","outcomeTimestamp":"2026-12-01T09:00:00Z"}]})", "feedback[0].outcome"},
      {R"({"feedback":[{"card":"c1","outcome":"accepted","outcomeTimestamp":"2026-12-01T09:00:00Z"}]})",
       "feedback[0].acceptedSuggestions"},
      {R"({"feedback":[{"card":"c1","outcome":"accepted","acceptedSuggestions":[{}],"outcomeTimestamp":"2026-12-01T09:00:00Z"}]})",
       "feedback[0].acceptedSuggestions[0].id"},
      {R"({"feedback":[{"card":"c1","outcome":"overridden","acceptedSuggestions":[{"id":"s"}],"outcomeTimestamp":"2026-12-01T09:00:00Z"}]})",
       "feedback[0].acceptedSuggestions"},
      {R"({"feedback":[{"card":"c1","outcome":"accepted","acceptedSuggestions":[{"id":"s"}],"overrideReason":{"userComment":"x"},"outcomeTimestamp":"2026-12-01T09:00:00Z"}]})",
       "feedback[0].overrideReason"},
      {R"({"feedback":[{"card":"c1","outcome":"overridden","overrideReason":{},"outcomeTimestamp":"2026-12-01T09:00:00Z"}]})",
       "feedback[0].overrideReason"},
      {R"({"feedback":[{"card":"c1","outcome":"overridden","overrideReason":{"reason":{"system":"s"}},"outcomeTimestamp":"2026-12-01T09:00:00Z"}]})",
       "feedback[0].overrideReason.reason"},
      {R"({"feedback":[{"card":"c1","outcome":"overridden"}]})", "feedback[0].outcomeTimestamp"},
      {R"({"feedback":[{"card":"c1","outcome":"overridden","outcomeTimestamp":"2026-12-01"}]})", "feedback[0].outcomeTimestamp"},
      {R"({"feedback":[{"card":"c1","outcome":"overridden","outcomeTimestamp":"2026-12-01T09:00:00"}]})", "feedback[0].outcomeTimestamp"},
      {R"({"feedback":[{"card":"c1","outcome":"overridden","outcomeTimestamp":"2026-13-01T09:00:00Z"}]})", "feedback[0].outcomeTimestamp"},
  };
  for (const auto& c : cases) {
    auto r = Parse(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.error().kind, fhir::ErrorKind::kBadRequest) << c.body;
    EXPECT_EQ(r.error().expression, c.expression) << c.body << "\n" << r.error().message;
  }
  EXPECT_FALSE(Parse("{not json").ok());
  std::string many = R"({"feedback":[)";
  for (std::size_t i = 0; i <= kMaxFeedbackItems; ++i) many += (i ? "," : "") + ok_item;
  EXPECT_EQ(Parse(many + "]}").error().expression, "feedback");
}

TEST(Feedback, Rfc3339DateTimes) {
  for (const char* good : {"2021-12-11T10:05:31Z", "2021-12-11T10:05:31.123Z", "2021-12-11T23:59:60+14:00",
                           "2021-12-11T00:00:00-05:30"}) {
    EXPECT_TRUE(IsRfc3339DateTime(good)) << good;
  }
  for (const char* bad : {"2021-12-11", "2021-12-11T10:05Z", "2021-12-11T24:00:00Z", "2021-02-30T10:00:00Z",
                          "2021-12-11T10:05:31", "2021-12-11T10:05:31.Z", "2021-12-11T10:05:31+0100",
                          "2021-12-11 10:05:31Z", "2021-12-11T10:05:31Zjunk"}) {
    EXPECT_FALSE(IsRfc3339DateTime(bad)) << bad;
  }
}

}  // namespace
}  // namespace cds::hooks
