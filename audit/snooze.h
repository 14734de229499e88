// What clinicians said about earlier cards, for snoozing (README, "Remember what the clinician said"): the
// latest response to each rule's card for each patient and each trigger (the resources and codes that made
// it fire), read from the shared store, so a response posted to any replica reaches every replica.
//
//   ResponseIndex index;
//   index.Follow(store, now);    // on the recorder's writer thread: what arrived since the last read
//   if (auto r = index.Find(rule, patient_key, trigger_key)) …
#pragma once

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "audit/calendar.h"
#include "audit/events.h"
#include "audit/store.h"

namespace cds::audit {

struct Response {
  Outcome outcome = Outcome::kOverridden;
  std::string override_code;  // overrideReason.reason.code, "" when none was given
  int64_t at = 0;             // outcomeTimestamp, Unix seconds
};

class ResponseIndex {
 public:
  // `window`: how far back responses matter (the longest snooze a rule may configure).
  explicit ResponseIndex(int64_t window_seconds = 366 * 86400);
  // Keeps the latest response per (rule, patient, trigger).
  void Add(std::string_view rule, std::string_view patient_key, std::string_view trigger_key, Response response);
  std::optional<Response> Find(std::string_view rule, std::string_view patient_key,
                               std::string_view trigger_key) const;
  std::size_t size() const;
  // Reads the responses the store received since the last call (the first call reads the whole window).
  // Re-reads a few minutes back each time: a card written late by another replica, or a replica's clock a
  // little behind, is still found. Throws StoreError.
  void Follow(Store& store, int64_t now);

 private:
  int64_t window_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Response> latest_;
  int64_t read_since_ = 0;  // 0: nothing read yet
  int64_t pruned_at_ = 0;
};

}  // namespace cds::audit
