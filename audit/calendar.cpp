// Timestamps on fhir::Date's calendar (days since 1970-01-01, proleptic Gregorian).
#include "audit/calendar.h"

#include <cstdint>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "fhir/date.h"

namespace cds::audit {
namespace {

bool Digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
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
  return int64_t{fhir::Date::FromYmd(y, mo, d).days} * 86400 + h * 3600 + mi * 60 + std::min(se, 59) - offset;
}

std::string FormatTimestamp(int64_t unix_seconds) {
  // Every card recorded asks for the current second: each thread formats a second once.
  thread_local int64_t last = INT64_MIN;
  thread_local char buf[32];
  if (unix_seconds != last) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    last = unix_seconds;
  }
  return buf;
}

std::optional<long> ParseDay(std::string_view s) {
  const auto d = fhir::Date::ParseIso(s);
  if (!d) return std::nullopt;
  return d->days;
}

std::string FormatDay(long days) { return fhir::Date{static_cast<int32_t>(days)}.ToString(); }

}  // namespace cds::audit
