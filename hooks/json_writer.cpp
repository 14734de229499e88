// JSON string escaping: runs of plain bytes are appended whole; only '"', '\' and control characters
// are rewritten.
#include "hooks/json_writer.h"

#include <cstdint>
#include <cstring>
#include <memory>

namespace cds::hooks {
namespace {

// 0: copy as is; otherwise the character after the backslash ('u' = \u00XX).
constexpr char Escape(unsigned char c) {
  switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    default: return c < 0x20 ? 'u' : 0;
  }
}

struct EscapeTable {
  char code[256];
  constexpr EscapeTable() : code() {
    for (int c = 0; c < 256; ++c) code[c] = Escape(static_cast<unsigned char>(c));
  }
};
constexpr EscapeTable kEscape;

// True when one of the eight bytes of `x` needs escaping: below 0x20, '"' or '\'. (Bit tricks from
// "Bit Twiddling Hacks": a zero byte in x ^ pattern, a byte below n in x.)
inline bool NeedsEscape8(uint64_t x) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  const bool control = ((x - kOnes * 0x20) & ~x & kHigh) != 0;
  return control || has_zero(x ^ (kOnes * '"')) || has_zero(x ^ (kOnes * '\\'));
}

}  // namespace

namespace {

struct ThreadBuffer {
  std::unique_ptr<char[]> data = std::make_unique<char[]>(8192);
  std::size_t capacity = 8192;
};

ThreadBuffer& Buffer() {
  thread_local ThreadBuffer buffer;
  return buffer;
}

}  // namespace

JsonWriter::JsonWriter(std::string& out) : out_(out), buf_(Buffer().data.get()), cap_(Buffer().capacity) {}

JsonWriter::~JsonWriter() { out_.assign(buf_, len_); }

char* JsonWriter::Grow(std::size_t n) {
  ThreadBuffer& b = Buffer();
  std::size_t capacity = b.capacity * 2;
  while (capacity < len_ + n) capacity *= 2;
  auto bigger = std::make_unique<char[]>(capacity);
  std::memcpy(bigger.get(), buf_, len_);
  b.data = std::move(bigger);
  b.capacity = capacity;
  buf_ = b.data.get();
  cap_ = capacity;
  return buf_ + len_;
}

void JsonWriter::AppendString(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  char* out = Room(2 + 6 * s.size());  // worst case: every byte becomes \u00XX
  char* const start = out;
  *out++ = '"';
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    if (end - p >= 8) {  // plain stretches are copied eight bytes at a time
      uint64_t block;
      std::memcpy(&block, p, 8);
      if (!NeedsEscape8(block)) {
        std::memcpy(out, p, 8);
        out += 8;
        p += 8;
        continue;
      }
    }
    const char e = kEscape.code[static_cast<unsigned char>(*p)];
    if (e == 0) {
      *out++ = *p++;
      continue;
    }
    *out++ = '\\';
    *out++ = e;
    if (e == 'u') {
      const auto c = static_cast<unsigned char>(*p);
      *out++ = '0';
      *out++ = '0';
      *out++ = kHex[c >> 4];
      *out++ = kHex[c & 0xF];
    }
    ++p;
  }
  *out++ = '"';
  len_ += static_cast<std::size_t>(out - start);
}

}  // namespace cds::hooks
