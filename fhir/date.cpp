// Date arithmetic with Howard Hinnant's civil-day algorithms: exact for every Gregorian date, no time zones.
#include "fhir/date.h"


namespace cds::fhir {
namespace {

int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

// hh:mm[:ss[.f+]](Z|±hh:mm) after the 'T'; FHIR requires a zone when seconds are present, but EHRs
// send local times too, so the zone is optional here.
bool ValidTime(std::string_view t) {
  int hh, mm, ss;
  if (!Digits(t, 0, 2, hh) || t.size() < 5 || t[2] != ':' || !Digits(t, 3, 2, mm)) return false;
  if (hh > 24 || mm > 59) return false;
  size_t p = 5;
  if (p < t.size() && t[p] == ':') {
    if (!Digits(t, p + 1, 2, ss) || ss > 60) return false;
    p += 3;
    if (p < t.size() && t[p] == '.') {
      ++p;
      size_t start = p;
      while (p < t.size() && t[p] >= '0' && t[p] <= '9') ++p;
      if (p == start) return false;
    }
  }
  if (p == t.size()) return true;
  if (t[p] == 'Z') return p + 1 == t.size();
  if (t[p] == '+' || t[p] == '-') {
    int zh, zm;
    return t.size() == p + 6 && Digits(t, p + 1, 2, zh) && t[p + 3] == ':' && Digits(t, p + 4, 2, zm) && zh <= 14 &&
           zm <= 59;
  }
  return false;
}

}  // namespace

Date Date::FromYmd(int year, int month, int day) {
  return Date{DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day))};
}

void Date::ToYmd(int& year, int& month, int& day) const {
  int32_t z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = y + (month <= 2);
}

std::string Date::ToString() const {
  int y, m, d;
  ToYmd(y, m, d);
  // Written digit by digit: FHIR years have four digits (dates outside 0001–9999 are clamped), and a
  // fixed-width form leaves no room for a formatting surprise (GCC -O3 -Wformat-truncation).
  y = y < 0 ? 0 : (y > 9999 ? 9999 : y);
  char buf[10] = {static_cast<char>('0' + y / 1000),     static_cast<char>('0' + y / 100 % 10),
                  static_cast<char>('0' + y / 10 % 10),  static_cast<char>('0' + y % 10),
                  '-',
                  static_cast<char>('0' + m / 10),       static_cast<char>('0' + m % 10),
                  '-',
                  static_cast<char>('0' + d / 10),       static_cast<char>('0' + d % 10)};
  return std::string(buf, sizeof buf);
}

std::optional<Date> Date::ParseIso(std::string_view text) {
  auto parsed = FhirDate::Parse(text);
  if (!parsed || parsed->precision != DatePrecision::kDay || text.size() != 10) return std::nullopt;
  return parsed->earliest;
}

std::optional<FhirDate> FhirDate::Parse(std::string_view s) {
  int y, m = 1, d = 1;
  if (!Digits(s, 0, 4, y) || y < 1) return std::nullopt;
  if (s.size() == 4) return FhirDate{Date::FromYmd(y, 1, 1), Date::FromYmd(y, 12, 31), DatePrecision::kYear};
  if (s[4] != '-' || !Digits(s, 5, 2, m) || m < 1 || m > 12) return std::nullopt;
  if (s.size() == 7)
    return FhirDate{Date::FromYmd(y, m, 1), Date::FromYmd(y, m, DaysInMonth(y, m)), DatePrecision::kMonth};
  if (s.size() < 10 || s[7] != '-' || !Digits(s, 8, 2, d) || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  if (s.size() > 10 && (s[10] != 'T' || !ValidTime(s.substr(11)))) return std::nullopt;
  Date day = Date::FromYmd(y, m, d);
  return FhirDate{day, day, DatePrecision::kDay};
}

int AgeInYears(Date birth, Date today) {
  int by, bm, bd, ty, tm, td;
  birth.ToYmd(by, bm, bd);
  today.ToYmd(ty, tm, td);
  int age = ty - by;
  if (tm < bm || (tm == bm && td < bd)) --age;
  return age < 0 ? 0 : age;
}

}  // namespace cds::fhir
