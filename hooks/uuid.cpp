// UUID generation and syntax check.
#include "hooks/uuid.h"

#include <chrono>
#include <random>
#include <string_view>

namespace cds::hooks {

namespace {

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32)};
  return rng;
}

void Write(uint64_t hi, uint64_t lo, char (&out)[36]) {
  static constexpr char kHex[] = "0123456789abcdef";
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);  // variant 10xx
  int bit = 60;
  uint64_t word = hi;
  for (int i = 0, nibble = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      out[i] = '-';
      continue;
    }
    out[i] = kHex[(word >> bit) & 0xF];
    bit -= 4;
    if (++nibble == 16) {
      word = lo;
      bit = 60;
    }
  }
}

}  // namespace

void NewUuid(char (&out)[36]) {
  const uint64_t hi = Rng()(), lo = Rng()();
  Write((hi & ~uint64_t{0xF000}) | 0x4000, lo, out);  // version 4
}

void NewTimeOrderedUuid(char (&out)[36]) {
  const uint64_t ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count());
  const uint64_t hi = (ms << 16) | 0x7000 | (Rng()() & 0x0FFF);  // 48-bit ms, version 7, 12 random bits
  Write(hi, Rng()(), out);
}

std::string NewTimeOrderedUuid() {
  char buf[36];
  NewTimeOrderedUuid(buf);
  return std::string(buf, 36);
}

std::string NewUuid() {
  char buf[36];
  NewUuid(buf);
  return std::string(buf, 36);
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace cds::hooks
