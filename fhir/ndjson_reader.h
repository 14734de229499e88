// Reads a FHIR Bulk Data file: NDJSON, one resource a line, plain or gzip-compressed (zlib reads both the
// same way), in blocks: memory is one block plus the longest line, whatever the file's size.
//
//   NdjsonReader r("export/Condition.002.ndjson.gz");
//   for (char* line; (line = r.Next()) != nullptr;) Parse(line, r.length(), r.line_number());
//   if (!r.error().empty()) Report(r.error());  // "truncated gzip after line 1234", never a crash
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace cds::fhir {

class NdjsonReader {
 public:
  explicit NdjsonReader(const std::string& path);
  // Only the lines that begin in bytes [begin, end) of a plain (uncompressed) file, so threads can share one
  // large file: line_number() then counts from the first of them. gzip files cannot be split.
  NdjsonReader(const std::string& path, uint64_t begin, uint64_t end);
  ~NdjsonReader();
  NdjsonReader(const NdjsonReader&) = delete;
  NdjsonReader& operator=(const NdjsonReader&) = delete;

  // The next non-empty line, NUL-terminated in place (the caller may parse it in situ), or nullptr at the
  // end or on an error. Valid until the next call. A trailing CR is removed.
  char* Next();
  std::size_t length() const { return length_; }
  std::size_t line_number() const { return line_; }  // 1-based, counting empty lines
  // Why reading stopped early ("" at a clean end): the file cannot be opened, a gzip stream is truncated or
  // corrupt, or a line exceeds kMaxLine.
  const std::string& error() const { return error_; }
  // Bytes of the file consumed so far (compressed bytes for gzip): for progress.
  uint64_t file_offset() const;

  static constexpr std::size_t kMaxLine = std::size_t{64} << 20;  // a resource larger than this is refused

 private:
  bool Fill();

  void* gz_ = nullptr;  // gzFile
  std::string path_;
  std::string buf_;
  std::size_t begin_ = 0, end_ = 0;  // unread bytes: buf_[begin_, end_)
  uint64_t buf_offset_ = 0;          // the file offset of buf_[0]
  uint64_t range_end_ = UINT64_MAX;  // lines beginning at or after this offset belong to the next range
  bool skip_first_ = false;          // a range not at the start: its first partial line is the previous one's
  std::size_t length_ = 0, line_ = 0;
  bool eof_ = false;
  std::string error_;
};

}  // namespace cds::fhir
