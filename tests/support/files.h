// Test helpers for files: the source tree, the shipped configuration, scratch folders.
#pragma once

#include <string>

namespace cds::test {

std::string SourcePath(const std::string& relative);  // <repo>/relative
std::string ConfigDir();                              // <repo>/config
std::string ReadFile(const std::string& path);        // whole file; fails the test if unreadable
void WriteFile(const std::string& path, const std::string& text);

// A fresh folder under /tmp, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A copy of the shipped config/ in a TempDir, to break one setting at a time.
class ConfigCopy : public TempDir {
 public:
  ConfigCopy();
  // Replaces the first occurrence of `from` with `to` in config file `relative` (fails if absent).
  void Edit(const std::string& relative, const std::string& from, const std::string& to);
};

}  // namespace cds::test
