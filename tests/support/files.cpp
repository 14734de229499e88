// File helpers for tests.
#include "tests/support/files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cds::test {

std::string SourcePath(const std::string& relative) { return std::string(ACHILLES_SOURCE_DIR) + "/" + relative; }
std::string ConfigDir() { return SourcePath("config"); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/achilles-test-XXXXXX";
  const char* made = ::mkdtemp(tmpl);
  EXPECT_NE(made, nullptr);
  path_ = made != nullptr ? made : "/tmp";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (path_ != "/tmp") std::filesystem::remove_all(path_, ec);
}

ConfigCopy::ConfigCopy() { std::filesystem::copy(ConfigDir(), path(), std::filesystem::copy_options::recursive); }

void ConfigCopy::Edit(const std::string& relative, const std::string& from, const std::string& to) {
  const std::string file = Join(relative);
  std::string text = ReadFile(file);
  const std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << "\"" << from << "\" not in " << relative;
  text.replace(at, from.size(), to);
  WriteFile(file, text);
}

}  // namespace cds::test
