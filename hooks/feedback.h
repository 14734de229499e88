// CDS Hooks 2.0 §Feedback: the body an EHR POSTs to {baseUrl}/cds-services/{id}/feedback — {"feedback": [
// {card, outcome, acceptedSuggestions, overrideReason, outcomeTimestamp}, …]} — read and checked item by item.
// A malformed item makes the whole batch a 400 whose OperationOutcome names the item and the field
// ("feedback[2].outcome"), so the EHR can fix and resend it; nothing of a refused batch is kept. A userComment's
// text is never kept, only that one was given.
//
//   auto items = ParseFeedback(body, "achilles-patient-view", "2026-12-01T10:00:00Z");
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/events.h"
#include "fhir/result.h"

namespace cds::hooks {

inline constexpr std::size_t kMaxFeedbackItems = 1000;  // per request: a batch is a clinician's session

// Parses `body` in place. `received_at` is stamped on every item.
fhir::Result<std::vector<audit::FeedbackItem>> ParseFeedback(std::string& body, std::string_view service,
                                                             std::string_view received_at);

// An RFC 3339 date-time with seconds and a time zone ("2021-12-11T10:05:31Z", "…31.5+01:00").
bool IsRfc3339DateTime(std::string_view s);

}  // namespace cds::hooks
