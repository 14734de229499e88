// Calendar dates read from FHIR `date` / `dateTime` values. A partial date ("2024", "2024-03") keeps its
// precision as a range: `earliest` is its first day, `latest` its last, so a rule can choose the reading
// that never over-states (e.g. weeks since onset uses `latest`).
//
//   auto onset = FhirDate::Parse("2024-03");      // earliest 2024-03-01, latest 2024-03-31
//   int days = DaysBetween(onset->latest, today);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cds::fhir {

// A day on the proleptic Gregorian calendar, as days since 1970-01-01.
struct Date {
  int32_t days = 0;

  static Date FromYmd(int year, int month, int day);
  // Strict YYYY-MM-DD (the form the command line and tests use).
  static std::optional<Date> ParseIso(std::string_view text);
  void ToYmd(int& year, int& month, int& day) const;
  std::string ToString() const;  // YYYY-MM-DD

  friend bool operator<(Date a, Date b) { return a.days < b.days; }
  friend bool operator<=(Date a, Date b) { return a.days <= b.days; }
  friend bool operator>(Date a, Date b) { return a.days > b.days; }
  friend bool operator>=(Date a, Date b) { return a.days >= b.days; }
  friend bool operator==(Date a, Date b) { return a.days == b.days; }
  friend bool operator!=(Date a, Date b) { return a.days != b.days; }
};

enum class DatePrecision { kYear, kMonth, kDay };

struct FhirDate {
  Date earliest;
  Date latest;
  DatePrecision precision = DatePrecision::kDay;

  // Accepts FHIR date and dateTime: YYYY, YYYY-MM, YYYY-MM-DD, and YYYY-MM-DDThh:mm[:ss[.fff]](Z|+hh:mm).
  // The calendar day is the one written (no time-zone shift). nullopt for anything else.
  static std::optional<FhirDate> Parse(std::string_view text);
};

inline int DaysBetween(Date from, Date to) { return to.days - from.days; }

// Completed years between a birth date and `today` (0 if today is before the birth date).
int AgeInYears(Date birth, Date today);

}  // namespace cds::fhir
