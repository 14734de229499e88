// What the service tells the audit trail: each card a response carried (with its uuids, rule, indicator and
// the codes that made it fire) and each feedback item an EHR posted. Identifiers become pseudonymous keys
// here, before anything leaves the request; the recorder writes them off the request path.
//
//   AuditLog log(recorder, Pseudonymizer(secret));
//   log.CardsIssued(request, "achilles-patient-view", cards, issued);
#pragma once

#include <string_view>
#include <vector>

#include "audit/pseudonym.h"
#include "audit/recorder.h"
#include "cards/card.h"
#include "hooks/card_writer.h"
#include "hooks/hook_request.h"

namespace cds::hooks {

class AuditLog {
 public:
  AuditLog(audit::Recorder& recorder, audit::Pseudonymizer pseudonyms);

  void CardsIssued(const HookRequest& request, std::string_view service, const std::vector<cards::Card>& cards,
                   const std::vector<IssuedUuids>& issued);
  // False when the recorder cannot take them now (the EHR should retry: 503).
  bool Feedback(std::vector<audit::FeedbackItem> items);

  audit::Recorder& recorder() { return recorder_; }

 private:
  audit::Recorder& recorder_;
  audit::Pseudonymizer pseudonyms_;
};

// Now, as RFC 3339 UTC with seconds ("2026-12-01T10:05:31Z").
std::string UtcTimestamp();

}  // namespace cds::hooks
