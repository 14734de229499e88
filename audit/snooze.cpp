// The response index: a map under a reader-writer lock (every card of every call looks it up; only the
// writer thread adds), fed by re-reading the store's feedback by when it was received.
#include "audit/snooze.h"

#include <algorithm>
#include <mutex>

#include "audit/schema.h"

namespace cds::audit {
namespace {

constexpr int64_t kReReadSeconds = 300;  // each read starts this long before now: late commits are still found

std::string KeyOf(std::string_view rule, std::string_view patient, std::string_view trigger) {
  std::string key;
  key.reserve(rule.size() + patient.size() + trigger.size() + 2);
  key.append(rule).append(1, '\n').append(patient).append(1, '\n').append(trigger);
  return key;
}

}  // namespace

ResponseIndex::ResponseIndex(int64_t window_seconds) : window_(window_seconds) {}

void ResponseIndex::Add(std::string_view rule, std::string_view patient_key, std::string_view trigger_key,
                        Response response) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  auto [it, added] = latest_.try_emplace(KeyOf(rule, patient_key, trigger_key), response);
  if (!added && response.at >= it->second.at) it->second = std::move(response);
}

std::optional<Response> ResponseIndex::Find(std::string_view rule, std::string_view patient_key,
                                            std::string_view trigger_key) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  if (latest_.empty()) return std::nullopt;
  auto it = latest_.find(KeyOf(rule, patient_key, trigger_key));
  if (it == latest_.end()) return std::nullopt;
  return it->second;
}

std::size_t ResponseIndex::size() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return latest_.size();
}

void ResponseIndex::Follow(Store& store, int64_t now) {
  const int64_t since = read_since_ == 0 ? now - window_ : read_since_;
  const Store::Rows rows = store.Query(kResponsesSince, {FormatTimestamp(since)});
  for (const std::vector<std::string>& r : rows) {
    if (r.size() < 7) continue;
    // When the clinician answered, as the EHR says — but never after the service received it: a clock ahead,
    // or a timestamp in 2099, must not hide a card for longer than its snooze period.
    const std::optional<int64_t> received = ParseTimestamp(r[6]);
    int64_t at = ParseTimestamp(r[5]).value_or(received.value_or(now));
    if (received && at > *received) at = *received;
    Add(r[0], r[1], r[2], Response{r[3] == "accepted" ? Outcome::kAccepted : Outcome::kOverridden, r[4], at});
  }
  read_since_ = std::max(since, now - kReReadSeconds);
  if (now - pruned_at_ >= 3600) {
    pruned_at_ = now;
    std::unique_lock<std::shared_mutex> lock(mu_);
    for (auto it = latest_.begin(); it != latest_.end();) it = it->second.at < now - window_ ? latest_.erase(it) : ++it;
  }
}

}  // namespace cds::audit
