// Calendar arithmetic for the audit trail, in UTC: RFC 3339 timestamps and YYYY-MM-DD days, without the C
// library's time zone state (timegm is not standard; every time here is UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cds::audit {

// RFC 3339 date-time ("2026-12-01T10:05:31.5+01:00") → Unix seconds; nullopt when it is not one.
std::optional<int64_t> ParseTimestamp(std::string_view text);
// Unix seconds → "2026-12-01T10:05:31Z".
std::string FormatTimestamp(int64_t unix_seconds);
// YYYY-MM-DD → days since 1970-01-01; nullopt when it is not a real date.
std::optional<long> ParseDay(std::string_view text);
// Days since 1970-01-01 → YYYY-MM-DD.
std::string FormatDay(long days);

}  // namespace cds::audit
