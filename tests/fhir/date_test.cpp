// fhir/date.cpp: FHIR date and dateTime reading, and the arithmetic the thresholds rely on.
#include "fhir/date.h"

#include <gtest/gtest.h>

namespace cds::fhir {
namespace {

TEST(Date, RoundTripsThroughYmd) {
  for (const char* s : {"1970-01-01", "2000-02-29", "2026-11-28", "1925-12-23", "2100-12-31"}) {
    auto d = Date::ParseIso(s);
    ASSERT_TRUE(d) << s;
    EXPECT_EQ(d->ToString(), s);
  }
  EXPECT_EQ(Date::FromYmd(1970, 1, 1).days, 0);
  EXPECT_EQ(Date::FromYmd(1970, 1, 2).days, 1);
}

TEST(Date, ParseIsoIsStrict) {
  EXPECT_FALSE(Date::ParseIso("2026-11"));
  EXPECT_FALSE(Date::ParseIso("2026-02-30"));
  EXPECT_FALSE(Date::ParseIso("2026-11-28T10:00:00Z"));
  EXPECT_FALSE(Date::ParseIso("28/11/2026"));
  EXPECT_FALSE(Date::ParseIso(""));
}

TEST(FhirDate, PartialDatesBecomeRanges) {
  auto y = FhirDate::Parse("2024");
  ASSERT_TRUE(y);
  EXPECT_EQ(y->precision, DatePrecision::kYear);
  EXPECT_EQ(y->earliest.ToString(), "2024-01-01");
  EXPECT_EQ(y->latest.ToString(), "2024-12-31");
  auto m = FhirDate::Parse("2024-02");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->earliest.ToString(), "2024-02-01");
  EXPECT_EQ(m->latest.ToString(), "2024-02-29");  // leap year
}

TEST(FhirDate, DateTimesKeepTheWrittenDay) {
  for (const char* s :
       {"2026-03-05T23:30:00Z", "2026-03-05T23:30:00-05:00", "2026-03-05T10:00:00.123+01:00", "2026-03-05T10:00"}) {
    auto d = FhirDate::Parse(s);
    ASSERT_TRUE(d) << s;
    EXPECT_EQ(d->earliest.ToString(), "2026-03-05") << s;
    EXPECT_EQ(d->precision, DatePrecision::kDay);
  }
}

TEST(FhirDate, RejectsWhatIsNotADate) {
  for (const char* s : {"", "yesterday", "2026-13-01", "2026-00-10", "2026-04-31", "2026-03-05T25:00:00Z",
                        "2026-03-05 10:00", "2026-03-05T10:00:00+1", "0000-01-01", "2026-3-5"}) {
    EXPECT_FALSE(FhirDate::Parse(s)) << s;
  }
}

TEST(Date, AgeInYearsCountsCompletedYears) {
  const Date birth = Date::FromYmd(1965, 11, 28);
  EXPECT_EQ(AgeInYears(birth, Date::FromYmd(2026, 11, 27)), 60);
  EXPECT_EQ(AgeInYears(birth, Date::FromYmd(2026, 11, 28)), 61);
  EXPECT_EQ(AgeInYears(Date::FromYmd(2000, 2, 29), Date::FromYmd(2001, 2, 28)), 0);
  EXPECT_EQ(AgeInYears(Date::FromYmd(2000, 2, 29), Date::FromYmd(2001, 3, 1)), 1);
  EXPECT_EQ(AgeInYears(Date::FromYmd(2030, 1, 1), Date::FromYmd(2026, 1, 1)), 0);
}

TEST(Date, DaysBetweenCountsCalendarDays) {
  EXPECT_EQ(DaysBetween(Date::FromYmd(2026, 10, 3), Date::FromYmd(2026, 11, 28)), 56);  // 8 weeks
  EXPECT_EQ(DaysBetween(Date::FromYmd(2026, 11, 28), Date::FromYmd(2026, 11, 28)), 0);
}

}  // namespace
}  // namespace cds::fhir

namespace cds::fhir {
namespace {

// Written digit by digit (GCC 12 -O3 -Werror=format-truncation stopped the Release build at the old
// snprintf); out-of-range years are clamped to four digits.
TEST(Date, ToStringIsFourDigitYearMonthDay) {
  EXPECT_EQ(Date::FromYmd(2026, 11, 28).ToString(), "2026-11-28");
  EXPECT_EQ(Date::FromYmd(1, 1, 1).ToString(), "0001-01-01");
  EXPECT_EQ(Date::FromYmd(9999, 12, 31).ToString(), "9999-12-31");
  EXPECT_EQ(Date{3'000'000}.ToString().size(), 10u);
}

}  // namespace
}  // namespace cds::fhir
