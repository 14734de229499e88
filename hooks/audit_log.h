// What the service tells the audit trail: each card a response carried (with its uuids, rule, indicator and
// the codes that made it fire), each card it withheld because the clinician already answered it (snoozed),
// and each feedback item an EHR posted. Identifiers become pseudonymous keys here, before anything leaves
// the request; the recorder writes them off the request path.
//
//   AuditLog log(&recorder, Pseudonymizer(secret), &responses);
//   AuditLog::Call call = log.Screen(request, cards);     // which cards are snoozed
//   … write the cards not snoozed, keeping their uuids in `issued` …
//   log.Record(call, request, "achilles-patient-view", cards, issued);
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/pseudonym.h"
#include "audit/recorder.h"
#include "audit/snooze.h"
#include "cards/card.h"
#include "hooks/card_writer.h"
#include "hooks/hook_request.h"

namespace cds::hooks {

// Why a card is withheld: the clinician's latest response to the same rule's card for the same patient and
// trigger, within the rule's snoozeDays for the card's indicator.
struct Snooze {
  audit::Response response;
  int days = 0;
  int64_t until = 0;  // Unix seconds: shown again from then
};

class AuditLog {
 public:
  // `recorder` null: nothing is recorded (explain reads snoozes only). `responses` null: nothing is snoozed.
  // `now`: Unix seconds (a test's clock); the system clock when empty.
  AuditLog(audit::Recorder* recorder, audit::Pseudonymizer pseudonyms,
           const audit::ResponseIndex* responses = nullptr, std::function<int64_t()> now = {});

  // One call's cards as the card log sees them, index for index.
  struct Call {
    std::string issued_at;
    std::string patient, user, encounter;       // pseudonymous keys
    std::vector<std::string> triggers;          // per card
    std::vector<std::optional<Snooze>> snoozed;  // per card: withheld, and why
    bool any_snoozed() const;
  };
  Call Screen(const HookRequest& request, const std::vector<cards::Card>& cards) const;
  std::optional<Snooze> SnoozeOf(const HookRequest& request, const cards::Card& card) const;

  // Records every card of `cards`: the ones shown with the uuids the response gave them (`issued`, in the
  // order shown), the withheld ones as withheld. Returns the last one's place in the recorder's log (for
  // Recorder::WhenWritten), 0 when nothing was queued.
  long Record(const Call& call, const HookRequest& request, std::string_view service,
              const std::vector<cards::Card>& cards, const std::vector<IssuedUuids>& issued);
  // False when the recorder cannot take them now (the EHR should retry: 503).
  bool Feedback(std::vector<audit::FeedbackItem> items);
  audit::Recorder* recorder() { return recorder_; }

 private:
  std::string TriggerKey(const cards::Card& card) const;
  std::optional<Snooze> Find(const cards::Card& card, const std::string& patient, const std::string& trigger,
                             int64_t now) const;
  int64_t Now() const;

  audit::Recorder* recorder_;
  audit::Pseudonymizer pseudonyms_;
  const audit::ResponseIndex* responses_;
  std::function<int64_t()> now_;
};

// "withheld: overridden on 2026-12-01 ("already-exercising"); this rule's info cards stay hidden 21 days for
// the same patient and trigger, until 2026-12-22" (explain).
std::string DescribeSnooze(const Snooze& s, const cards::Card& card);

// Now, as RFC 3339 UTC with seconds ("2026-12-01T10:05:31Z").
std::string UtcTimestamp();

}  // namespace cds::hooks
