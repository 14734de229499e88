// Operational log lines on stderr: "2026-11-28T12:00:00Z level message". Callers pass only content-free
// values (status codes, error kinds, service ids, counts, timings): never a patient identifier, resource
// content or token (README, "Logging").
#pragma once

namespace cds::hooks {

void LogInfo(const char* format, ...) __attribute__((format(printf, 1, 2)));
void LogError(const char* format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace cds::hooks
