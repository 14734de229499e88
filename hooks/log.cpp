// Log lines are assembled in one buffer and written with one write(2), so lines from I/O threads never
// interleave.
#include "hooks/log.h"

#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace cds::hooks {
namespace {

void Write(const char* level, const char* format, va_list args) {
  char line[1024];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  int n = static_cast<int>(std::strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ ", &tm));
  n += std::snprintf(line + n, sizeof line - static_cast<size_t>(n), "%s ", level);
  int m = std::vsnprintf(line + n, sizeof line - static_cast<size_t>(n), format, args);
  n = m < 0 ? n : (n + m < static_cast<int>(sizeof line) - 1 ? n + m : static_cast<int>(sizeof line) - 2);
  line[n++] = '\n';
  ssize_t ignored = ::write(STDERR_FILENO, line, static_cast<size_t>(n));
  (void)ignored;
}

}  // namespace

void LogInfo(const char* format, ...) {
  va_list args;
  va_start(args, format);
  Write("info", format, args);
  va_end(args);
}

void LogError(const char* format, ...) {
  va_list args;
  va_start(args, format);
  Write("error", format, args);
  va_end(args);
}

}  // namespace cds::hooks
