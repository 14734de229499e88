// fhir/ndjson_reader.cpp: lines of plain and gzip Bulk Data files, and what a broken file reports.
#include "fhir/ndjson_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "tests/support/files.h"

namespace cds::fhir {
namespace {

using test::TempDir;
using test::WriteFile;

std::vector<std::string> ReadAll(NdjsonReader& r) {
  std::vector<std::string> lines;
  for (char* l; (l = r.Next()) != nullptr;) lines.emplace_back(l, r.length());
  return lines;
}

std::string Gzip(const std::string& text) {
  uLongf n = compressBound(text.size()) + 64;
  std::string out(n, '\0');
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // +16: a gzip wrapper
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(&out[0]);
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(NdjsonReader, LinesOfAPlainFileWithCrlfEmptyLinesAndNoFinalNewline) {
  TempDir dir;
  WriteFile(dir.Join("a.ndjson"), "{\"a\":1}\r\n\n{\"b\":2}\n{\"c\":3}");
  NdjsonReader r(dir.Join("a.ndjson"));
  EXPECT_EQ(ReadAll(r), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}));
  EXPECT_EQ(r.line_number(), 4u);
  EXPECT_EQ(r.error(), "");
}

TEST(NdjsonReader, GzipReadsLikePlainAcrossManyBlocks) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 60000; ++i) text += "{\"resourceType\":\"Condition\",\"id\":\"c" + std::to_string(i) + "\"}\n";
  WriteFile(dir.Join("c.ndjson.gz"), Gzip(text));
  NdjsonReader r(dir.Join("c.ndjson.gz"));
  const auto lines = ReadAll(r);
  ASSERT_EQ(lines.size(), 60000u);
  EXPECT_EQ(lines[59999], "{\"resourceType\":\"Condition\",\"id\":\"c59999\"}");
  EXPECT_EQ(r.error(), "");
}

TEST(NdjsonReader, ALineLongerThanABlockIsWhole) {
  TempDir dir;
  const std::string big = "{\"text\":\"" + std::string(3 << 20, 'x') + "\"}";
  WriteFile(dir.Join("big.ndjson"), "{}\n" + big + "\n{}\n");
  NdjsonReader r(dir.Join("big.ndjson"));
  const auto lines = ReadAll(r);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], big);
}

TEST(NdjsonReader, ATruncatedGzipSaysSoAfterTheLinesItHad) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "{\"id\":\"" + std::to_string(i * 7919) + "\"}\n";
  const std::string gz = Gzip(text);
  WriteFile(dir.Join("t.ndjson.gz"), gz.substr(0, gz.size() / 2));
  NdjsonReader r(dir.Join("t.ndjson.gz"));
  const auto lines = ReadAll(r);
  EXPECT_GT(lines.size(), 0u);
  EXPECT_LT(lines.size(), 5000u);
  EXPECT_NE(r.error().find("truncated"), std::string::npos) << r.error();
}

// Threads share a large plain file by byte ranges: together the ranges read every line exactly once, whatever
// the cut points (mid-line, on a newline, inside a CRLF, past the end).
TEST(NdjsonReader, RangesTogetherReadEveryLineOnce) {
  TempDir dir;
  std::string text;
  std::vector<std::string> want;
  for (int i = 0; i < 300; ++i) {
    want.push_back("{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(static_cast<std::size_t>(i % 37), 'p') + "\"}");
    text += want.back() + (i % 5 == 0 ? "\r\n" : "\n");
    if (i % 50 == 0) text += "\n";
  }
  WriteFile(dir.Join("r.ndjson"), text);
  for (uint64_t step : {1ull, 7ull, 64ull, 1000ull, 4096ull, 100000ull}) {
    std::vector<std::string> got;
    std::size_t lines = 0;
    for (uint64_t b = 0; b < text.size(); b += step) {
      NdjsonReader r(dir.Join("r.ndjson"), b, std::min<uint64_t>(b + step, text.size()));
      for (const auto& l : ReadAll(r)) got.push_back(l);
      EXPECT_EQ(r.error(), "");
      lines += r.line_number();
    }
    EXPECT_EQ(got, want) << "ranges of " << step << " bytes";
    EXPECT_EQ(lines, 300u + 6u) << "ranges of " << step << " bytes: line numbers must add up to the file's";
  }
}

TEST(NdjsonReader, AMissingFileIsAnErrorNotACrash) {
  NdjsonReader r("/nonexistent/Condition.ndjson");
  EXPECT_EQ(r.Next(), nullptr);
  EXPECT_NE(r.error().find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace cds::fhir
