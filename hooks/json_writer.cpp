// JSON string escaping: runs of plain bytes are appended whole; only '"', '\' and control characters
// are rewritten.
#include "hooks/json_writer.h"

#include <emmintrin.h>

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

namespace {

// Writes the escape for one byte that needs one ('"', '\\' or a control character).
char* WriteEscape(char* out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char e = kEscape.code[c];
  *out++ = '\\';
  *out++ = e;
  if (e == 'u') {
    *out++ = '0';
    *out++ = '0';
    *out++ = kHex[c >> 4];
    *out++ = kHex[c & 0xF];
  }
  return out;
}

}  // namespace

void JsonWriter::AppendString(std::string_view s) {
  char* out = Room(2 + 6 * s.size());  // worst case: every byte becomes \u00XX
  char* const start = out;
  *out++ = '"';
  const char* p = s.data();
  const char* end = p + s.size();
  // Sixteen bytes at a time (SSE2): the block is stored whole (the room above allows it), then the output
  // advances to the first byte needing an escape, if any.
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), below = _mm_set1_epi8(0x1F);
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), x);
    const __m128i control = _mm_cmpeq_epi8(_mm_subs_epu8(x, below), _mm_setzero_si128());  // x <= 0x1F
    const int mask = _mm_movemask_epi8(
        _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash))));
    if (mask == 0) {
      p += 16;
      out += 16;
      continue;
    }
    const int plain = __builtin_ctz(static_cast<unsigned>(mask));
    p += plain;
    out = WriteEscape(out + plain, static_cast<unsigned char>(*p++));
  }
  if (end - p >= 8) {  // a tail of eight or more plain bytes
    uint64_t block;
    std::memcpy(&block, p, 8);
    if (!NeedsEscape8(block)) {
      std::memcpy(out, p, 8);
      out += 8;
      p += 8;
    }
  }
  for (; p < end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (kEscape.code[c] == 0) {
      *out++ = *p;
    } else {
      out = WriteEscape(out, c);
    }
  }
  *out++ = '"';
  len_ += static_cast<std::size_t>(out - start);
}

}  // namespace cds::hooks
