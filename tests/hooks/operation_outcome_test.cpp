// hooks/operation_outcome.cpp: one status per error kind; OperationOutcome bodies.
#include "hooks/operation_outcome.h"

#include <gtest/gtest.h>

#include "fhir/json_document.h"
#include "tests/support/json.h"
#include "tests/support/recorder.h"

namespace cds::hooks {
namespace {

using fhir::ErrorKind;

TEST(OperationOutcome, EachErrorKindHasOneStatus) {
  EXPECT_EQ(HttpStatus(ErrorKind::kBadRequest), 400);
  EXPECT_EQ(HttpStatus(ErrorKind::kUnknownService), 404);
  EXPECT_EQ(HttpStatus(ErrorKind::kNotFound), 404);
  EXPECT_EQ(HttpStatus(ErrorKind::kMethodNotAllowed), 405);
  EXPECT_EQ(HttpStatus(ErrorKind::kTimeout), 408);
  EXPECT_EQ(HttpStatus(ErrorKind::kPrefetchUnavailable), 412);
  EXPECT_EQ(HttpStatus(ErrorKind::kPayloadTooLarge), 413);
  EXPECT_EQ(HttpStatus(ErrorKind::kUnsupportedMediaType), 415);
  EXPECT_EQ(HttpStatus(ErrorKind::kHeaderTooLarge), 431);
  EXPECT_EQ(HttpStatus(ErrorKind::kInternal), 500);
}

TEST(OperationOutcome, BodyNamesTheProblemAndTheField) {
  const std::string body = OperationOutcome(fhir::MakeError(ErrorKind::kBadRequest, "Missing \"x\"", "context.x"));
  test::RecordResponse("error", 400, body);
  rapidjson::Document d = test::Json(body);
  ASSERT_FALSE(d.HasParseError());
  EXPECT_STREQ(d["resourceType"].GetString(), "OperationOutcome");
  const auto& issue = d["issue"][0];
  EXPECT_STREQ(issue["severity"].GetString(), "error");
  EXPECT_STREQ(issue["code"].GetString(), "invalid");
  EXPECT_STREQ(issue["diagnostics"].GetString(), "Missing \"x\"");
  EXPECT_STREQ(issue["expression"][0].GetString(), "context.x");
}

TEST(OperationOutcome, NoExpressionMemberWhenNoField) {
  const std::string body = OperationOutcome(fhir::MakeError(ErrorKind::kNotFound, "No route /x"));
  EXPECT_EQ(body.find("expression"), std::string::npos);
  EXPECT_EQ(std::string(ErrorKindName(ErrorKind::kPrefetchUnavailable)), "prefetch-unavailable");
}

}  // namespace
}  // namespace cds::hooks
