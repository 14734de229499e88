// Building card-log rows: codes only from the evidence (system|code, never text or display), and a trigger
// fingerprint over the resources and codes that made the card fire, so a later card for a new order or a
// new diagnosis can be told from a repeat of the same one (a repeat is snoozed; a new trigger is not).
#include "hooks/audit_log.h"

#include <algorithm>

#include "cards/card_settings.h"
#include "hooks/router.h"
#include "hooks/uuid.h"

namespace cds::hooks {

AuditLog::AuditLog(audit::Recorder* recorder, audit::Pseudonymizer pseudonyms,
                   const audit::ResponseIndex* responses, std::function<int64_t()> now)
    : recorder_(recorder), pseudonyms_(std::move(pseudonyms)), responses_(responses), now_(std::move(now)) {}

std::string UtcTimestamp() { return audit::FormatTimestamp(UnixNow()); }

int64_t AuditLog::Now() const { return now_ ? now_() : UnixNow(); }

bool AuditLog::Call::any_snoozed() const {
  return std::any_of(snoozed.begin(), snoozed.end(), [](const std::optional<Snooze>& s) { return s.has_value(); });
}

std::string AuditLog::TriggerKey(const cards::Card& c) const {
  std::vector<std::string> trigger;
  trigger.reserve(c.evidence.size());
  for (const cards::Evidence& e : c.evidence) {
    trigger.push_back(std::string(e.resource_type) + "/" + std::string(e.resource_id) + "#" + std::string(e.code) +
                      "#" + std::string(e.term));
  }
  std::sort(trigger.begin(), trigger.end());
  std::string joined(cards::RuleIdName(c.rule));
  for (const std::string& t : trigger) joined.append("\n").append(t);
  return pseudonyms_.Key(joined);
}

std::optional<Snooze> AuditLog::Find(const cards::Card& c, const std::string& patient, const std::string& trigger,
                                     int64_t now) const {
  if (responses_ == nullptr || c.settings == nullptr) return std::nullopt;
  const int days = c.settings->snooze_days[static_cast<std::size_t>(c.indicator)];
  if (days <= 0) return std::nullopt;
  auto r = responses_->Find(cards::RuleIdName(c.rule), patient, trigger);
  if (!r) return std::nullopt;
  const int64_t until = r->at + int64_t{days} * 86400;
  if (now >= until) return std::nullopt;
  return Snooze{std::move(*r), days, until};
}

AuditLog::Call AuditLog::Screen(const HookRequest& request, const std::vector<cards::Card>& cards) const {
  Call call;
  if (cards.empty()) return call;
  const int64_t now = Now();
  call.issued_at = audit::FormatTimestamp(now);
  call.patient = pseudonyms_.Key(request.patient_id);
  call.user = pseudonyms_.Key(request.user_id);
  call.encounter = pseudonyms_.Key(request.encounter_id);
  for (const cards::Card& c : cards) {
    call.triggers.push_back(TriggerKey(c));
    call.snoozed.push_back(Find(c, call.patient, call.triggers.back(), now));
  }
  return call;
}

std::optional<Snooze> AuditLog::SnoozeOf(const HookRequest& request, const cards::Card& card) const {
  if (responses_ == nullptr) return std::nullopt;
  return Find(card, pseudonyms_.Key(request.patient_id), TriggerKey(card), Now());
}

long AuditLog::Record(const Call& call, const HookRequest& request, std::string_view service,
                      const std::vector<cards::Card>& cards, const std::vector<IssuedUuids>& issued) {
  if (recorder_ == nullptr) return 0;
  long last = 0;
  std::size_t shown = 0;
  // One row per thread, refilled card after card: assigning keeps each string's buffer, so recording a card
  // allocates nothing here (the recorder packs it into a buffer of its own).
  thread_local audit::CardIssued row;
  thread_local std::string code;
  for (std::size_t i = 0; i < cards.size() && i < call.triggers.size(); ++i) {
    const cards::Card& c = cards[i];
    row.withheld = call.snoozed[i].has_value();
    if (row.withheld) {
      row.card_uuid = NewTimeOrderedUuid();  // never sent: no feedback can name it
      row.suggestion_uuids.clear();
    } else {
      if (shown >= issued.size()) break;
      row.card_uuid = issued[shown].card;
      row.suggestion_uuids.assign(issued[shown].suggestions.begin(), issued[shown].suggestions.end());
      ++shown;
    }
    row.issued_at = call.issued_at;
    row.service.assign(service);
    row.hook.assign(cards::HookName(request.hook));
    row.hook_instance.assign(request.hook_instance);
    row.rule.assign(cards::RuleIdName(c.rule));
    row.indicator.assign(cards::IndicatorName(c.indicator));
    std::size_t codes = 0;
    for (const cards::Evidence& e : c.evidence) {
      if (e.code.empty()) continue;
      code.assign(e.system).append("|").append(e.code);
      const auto end = row.evidence.begin() + static_cast<long>(codes);
      if (std::find(row.evidence.begin(), end, code) != end) continue;
      if (codes == row.evidence.size()) row.evidence.emplace_back();
      row.evidence[codes++] = code;
    }
    row.evidence.resize(codes);
    row.trigger_key = call.triggers[i];
    row.patient_key = call.patient;
    row.user_key = call.user;
    row.encounter_key = call.encounter;
    last = std::max(last, recorder_->RecordCard(row));
  }
  return last;
}

bool AuditLog::Feedback(std::vector<audit::FeedbackItem> items) {
  return recorder_ != nullptr && recorder_->RecordFeedback(std::move(items));
}

std::string DescribeSnooze(const Snooze& s, const cards::Card& card) {
  std::string out = "withheld (snoozed): ";
  out += s.response.outcome == audit::Outcome::kAccepted ? "its suggestion was accepted" : "it was overridden";
  out += " on " + audit::FormatTimestamp(s.response.at).substr(0, 10);
  if (!s.response.override_code.empty()) out += " (\"" + s.response.override_code + "\")";
  out += "; this rule's " + std::string(cards::IndicatorName(card.indicator)) + " cards stay hidden " +
         std::to_string(s.days) + " days for the same patient and trigger, until " +
         audit::FormatTimestamp(s.until).substr(0, 10) + ". A new order or diagnosis shows it again.";
  return out;
}

}  // namespace cds::hooks
