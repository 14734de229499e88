// Log lines are assembled in one buffer and written with one write(2), so lines from I/O threads never
// interleave.
#include "hooks/log.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <string>

namespace cds::hooks {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kText};

constexpr std::size_t kMaxLine = 2048;

void Emit(std::string& line) {
  if (line.size() > kMaxLine - 1) line.resize(kMaxLine - 1);
  line.push_back('\n');
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

void AppendTime(std::string& out) {
  char buf[32];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  out.append(buf, std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm));
}

// A JSON string: quotes, backslashes and control characters escaped; bytes past ASCII as \u00XX, so the
// line is valid JSON whatever a message holds.
void AppendJsonString(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c >= 0x20 && c < 0x7f) {
      out.push_back(ch);
    } else {
      out.append("\\u00").push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  out.push_back('"');
}

void JsonField(std::string& out, const char* name, std::string_view value) {
  out.append(",\"").append(name).append("\":");
  AppendJsonString(out, value);
}

void JsonField(std::string& out, const char* name, long value) {
  out.append(",\"").append(name).append("\":").append(std::to_string(value));
}

void JsonHead(std::string& out, const char* level, std::string_view event) {
  out.append("{\"time\":\"");
  AppendTime(out);
  out.append("\"");
  JsonField(out, "level", level);
  JsonField(out, "event", event);
}

void Write(const char* level, const char* format, va_list args) {
  char message[1024];
  const int m = std::vsnprintf(message, sizeof message, format, args);
  const std::string_view text(message, m < 0 ? 0 : std::min<std::size_t>(static_cast<std::size_t>(m), sizeof message - 1));
  std::string line;
  line.reserve(160 + text.size());
  if (g_format.load(std::memory_order_relaxed) == LogFormat::kJson) {
    JsonHead(line, level, "log");
    JsonField(line, "message", text);
    line.push_back('}');
  } else {
    AppendTime(line);
    line.append(" ").append(level).append(" ").append(text);
  }
  Emit(line);
}

std::string_view OrDash(std::string_view s) { return s.empty() ? std::string_view("-") : s; }

}  // namespace

void SetLogFormat(LogFormat format) { g_format.store(format, std::memory_order_relaxed); }

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

void LogRequest(const RequestLine& r) {
  std::string line;
  line.reserve(256);
  if (g_format.load(std::memory_order_relaxed) == LogFormat::kJson) {
    JsonHead(line, "info", r.event);
    if (!r.method.empty()) JsonField(line, "method", r.method);
    if (!r.path.empty()) JsonField(line, "path", r.path);
    if (!r.service.empty()) JsonField(line, "service", r.service);
    JsonField(line, "status", static_cast<long>(r.status));
    if (!r.error.empty()) JsonField(line, "error", r.error);
    if (!r.field.empty()) JsonField(line, "field", r.field);
    if (!r.detail.empty()) JsonField(line, "detail", r.detail);
    JsonField(line, "duration_us", r.duration_us);
    if (!r.request_id.empty()) JsonField(line, "request_id", r.request_id);
    line.push_back('}');
    return Emit(line);
  }
  AppendTime(line);
  line.append(" info ").append(r.event).append(" ");
  if (r.event == "access") {
    // access GET /cds-services 200 - 85us req=…
    line.append(r.method).append(" ").append(r.path).append(" ").append(std::to_string(r.status)).append(" ");
    line.append(OrDash(r.error)).append(" ").append(std::to_string(r.duration_us)).append("us");
  } else {
    // refused 400 bad-request service=achilles-order-sign field=context.draftOrders 120us auth: …
    line.append(std::to_string(r.status)).append(" ").append(OrDash(r.error));
    line.append(" service=").append(OrDash(r.service)).append(" field=").append(OrDash(r.field));
    line.append(" ").append(std::to_string(r.duration_us)).append("us");
    if (!r.detail.empty()) line.append(" ").append(r.detail);
  }
  if (!r.request_id.empty()) line.append(" req=").append(r.request_id);
  Emit(line);
}

}  // namespace cds::hooks
