// Building card-log rows: codes only from the evidence (system|code, never text or display), and a trigger
// fingerprint over the resources and codes that made the card fire, so a later card for a new order or a
// new diagnosis can be told from a repeat of the same one.
#include "hooks/audit_log.h"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace cds::hooks {

AuditLog::AuditLog(audit::Recorder& recorder, audit::Pseudonymizer pseudonyms)
    : recorder_(recorder), pseudonyms_(std::move(pseudonyms)) {}

std::string UtcTimestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void AuditLog::CardsIssued(const HookRequest& request, std::string_view service, const std::vector<cards::Card>& cards,
                           const std::vector<IssuedUuids>& issued) {
  if (cards.empty()) return;
  const std::string now = UtcTimestamp();
  const std::string patient = pseudonyms_.Key(request.patient_id);
  const std::string user = pseudonyms_.Key(request.user_id);
  const std::string encounter = pseudonyms_.Key(request.encounter_id);
  for (std::size_t i = 0; i < cards.size() && i < issued.size(); ++i) {
    const cards::Card& c = cards[i];
    audit::CardIssued row;
    row.issued_at = now;
    row.service = std::string(service);
    row.hook = std::string(cards::HookName(request.hook));
    row.hook_instance = std::string(request.hook_instance);
    row.rule = std::string(cards::RuleIdName(c.rule));
    row.indicator = std::string(cards::IndicatorName(c.indicator));
    row.card_uuid = issued[i].card;
    row.suggestion_uuids = issued[i].suggestions;
    std::vector<std::string> trigger;
    for (const cards::Evidence& e : c.evidence) {
      if (!e.code.empty()) {
        std::string code = std::string(e.system) + "|" + std::string(e.code);
        if (std::find(row.evidence.begin(), row.evidence.end(), code) == row.evidence.end()) row.evidence.push_back(code);
      }
      trigger.push_back(std::string(e.resource_type) + "/" + std::string(e.resource_id) + "#" + std::string(e.code) +
                        "#" + std::string(e.term));
    }
    std::sort(trigger.begin(), trigger.end());
    std::string joined = row.rule;
    for (const std::string& t : trigger) joined.append("\n").append(t);
    row.trigger_key = pseudonyms_.Key(joined);
    row.patient_key = patient;
    row.user_key = user;
    row.encounter_key = encounter;
    recorder_.RecordCard(std::move(row));
  }
}

bool AuditLog::Feedback(std::vector<audit::FeedbackItem> items) { return recorder_.RecordFeedback(std::move(items)); }

}  // namespace cds::hooks
