// NDJSON lines from a plain or gzip file through zlib's gzread, which passes plain files through unchanged.
#include "fhir/ndjson_reader.h"

#include <zlib.h>

#include <cstring>

namespace cds::fhir {
namespace {
constexpr std::size_t kBlock = std::size_t{1} << 20;
}

NdjsonReader::NdjsonReader(const std::string& path) : path_(path) {
  gzFile f = ::gzopen(path.c_str(), "rb");
  if (f == nullptr) {
    error_ = "cannot open " + path;
    eof_ = true;
    return;
  }
  ::gzbuffer(f, 256 * 1024);
  gz_ = f;
  buf_.resize(kBlock);
}

NdjsonReader::NdjsonReader(const std::string& path, uint64_t begin, uint64_t end) : NdjsonReader(path) {
  range_end_ = end;
  if (gz_ == nullptr || begin == 0) return;
  // Start one byte early: when that byte ends a line, the line at `begin` is ours.
  if (::gzseek(static_cast<gzFile>(gz_), static_cast<z_off_t>(begin - 1), SEEK_SET) < 0) {
    error_ = "cannot seek in " + path;
    eof_ = true;
    return;
  }
  buf_offset_ = begin - 1;
  skip_first_ = true;
}

NdjsonReader::~NdjsonReader() {
  if (gz_ != nullptr) ::gzclose(static_cast<gzFile>(gz_));
}

uint64_t NdjsonReader::file_offset() const {
  return gz_ != nullptr ? static_cast<uint64_t>(::gzoffset(static_cast<gzFile>(gz_))) : 0;
}

// Moves the unread bytes to the front (growing the buffer when a line fills it) and reads one more block.
bool NdjsonReader::Fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(&buf_[0], &buf_[begin_], end_ - begin_);
    end_ -= begin_;
    buf_offset_ += begin_;
    begin_ = 0;
  }
  if (end_ + kBlock / 2 > buf_.size()) {
    if (buf_.size() >= kMaxLine + kBlock) {
      error_ = "line " + std::to_string(line_ + 1) + " is longer than " + std::to_string(kMaxLine >> 20) + " MB";
      eof_ = true;
      return false;
    }
    buf_.resize(buf_.size() * 2);
  }
  const std::size_t room = buf_.size() - end_ - 1;  // one byte kept for the last line's NUL
  const int n = ::gzread(static_cast<gzFile>(gz_), &buf_[end_], static_cast<unsigned>(room < (1u << 30) ? room : (1u << 30)));
  if (n < 0) {
    int code = 0;
    const char* why = ::gzerror(static_cast<gzFile>(gz_), &code);
    error_ = std::string("gzip stream is corrupt after line ") + std::to_string(line_) + ": " + why;
    eof_ = true;
    return false;
  }
  if (n == 0) {
    eof_ = true;
    // zlib reports a gzip stream cut short (no trailer) only here, as Z_BUF_ERROR.
    int code = 0;
    ::gzerror(static_cast<gzFile>(gz_), &code);
    if (code == Z_BUF_ERROR) error_ = "gzip stream is truncated after line " + std::to_string(line_);
    return false;
  }
  end_ += static_cast<std::size_t>(n);
  return true;
}

char* NdjsonReader::Next() {
  for (;;) {
    if (buf_offset_ + begin_ >= range_end_) return nullptr;  // the next range's line
    char* start = &buf_[0] + begin_;
    char* nl = static_cast<char*>(std::memchr(start, '\n', end_ - begin_));
    std::size_t len;
    if (nl != nullptr) {
      len = static_cast<std::size_t>(nl - start);
      begin_ += len + 1;
    } else if (!Fill()) {
      if (!error_.empty() || begin_ == end_) return nullptr;
      start = &buf_[0] + begin_;  // the last line, without a newline
      len = end_ - begin_;
      begin_ = end_;
    } else {
      continue;
    }
    if (skip_first_) {  // the tail of the previous range's last line
      skip_first_ = false;
      continue;
    }
    ++line_;
    if (len > 0 && start[len - 1] == '\r') --len;
    start[len] = '\0';
    length_ = len;
    if (len > 0) return start;
  }
}

}  // namespace cds::fhir
