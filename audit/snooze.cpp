// The response index: a map under a reader-writer lock (every card of every call looks it up; only the
// writer thread adds), fed by re-reading the store's feedback by when it was received.
#include "audit/snooze.h"

#include <cctype>
#include <algorithm>
#include <ctime>
#include <mutex>

#include "audit/schema.h"

namespace cds::audit {
namespace {

constexpr int64_t kReReadSeconds = 300;  // how far back each read starts before the newest response seen

std::string KeyOf(std::string_view rule, std::string_view patient, std::string_view trigger) {
  std::string key;
  key.reserve(rule.size() + patient.size() + trigger.size() + 2);
  key.append(rule).append(1, '\n').append(patient).append(1, '\n').append(trigger);
  return key;
}

bool Digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + doe - 719468;
}

}  // namespace

std::optional<int64_t> ParseTimestamp(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!Digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !Digits(s, 11, 2, h) || s[13] != ':' ||
      !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, se)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    ++at;
    const std::size_t digits = at;
    while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at]))) ++at;
    if (at == digits) return std::nullopt;
  }
  int64_t offset = 0;
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
    ++at;
  } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
    int oh, om;
    if (!Digits(s, at + 1, 2, oh) || at + 3 >= s.size() || s[at + 3] != ':' || !Digits(s, at + 4, 2, om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset = (s[at] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != s.size()) return std::nullopt;
  return DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + std::min(se, 59) - offset;
}

std::string FormatTimestamp(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

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
    const int64_t at = ParseTimestamp(r[5]).value_or(ParseTimestamp(r[6]).value_or(now));
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
