// Keeps the suite's log lines in $ACHILLES_SUITE_LOGS: a child process copies this process's stderr (fd 2,
// where hooks/log.cpp writes) to the terminal and to a file; spawned binaries' stderr is written out whole.
#include "tests/support/suite_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <cstdlib>
#include <mutex>
#include <string>

namespace cds::test {
namespace {

const char* Folder() {
  const char* dir = std::getenv("ACHILLES_SUITE_LOGS");
  return dir != nullptr && *dir != '\0' ? dir : nullptr;
}

// A file of its own for each call: processes and threads never interleave in one file.
int NewFile(std::string_view origin) {
  static std::atomic<int> serial{0};
  const std::string path = std::string(Folder()) + "/" + std::string(origin) + "." + std::to_string(::getpid()) +
                           "." + std::to_string(serial++) + ".log";
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

void WriteAll(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w <= 0) return;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

}  // namespace

void TeeStderr() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (Folder() == nullptr) return;
    int fds[2];
    // Named after the test binary (in-process.<name>.<pid>.<n>.log): the search knows which ran.
    std::string name = "test";
    char exe[4096];
    const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) name = std::filesystem::path(std::string(exe, static_cast<std::size_t>(n))).filename().string();
    const int file = NewFile("in-process." + name);
    if (file < 0 || ::pipe(fds) != 0) return;
    // A child process copies, not a thread: if this process crashes, what it wrote last (a sanitizer's
    // report) still reaches the terminal. Called first thing in main(), before any thread exists.
    const pid_t pid = ::fork();
    if (pid < 0) return;
    if (pid == 0) {
      ::close(fds[1]);
      char buf[8192];
      for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) {
        WriteAll(2, buf, static_cast<std::size_t>(n));
        WriteAll(file, buf, static_cast<std::size_t>(n));
      }
      ::_exit(0);  // every writer has gone: the test binary has exited
    }
    ::close(file);
    ::close(fds[0]);
    ::dup2(fds[1], 2);  // children that keep fd 2 log through the copy too
    ::close(fds[1]);
  });
}

void KeepLog(std::string_view origin, std::string_view text) {
  if (Folder() == nullptr || text.empty()) return;
  const int fd = NewFile(origin);
  if (fd < 0) return;
  WriteAll(fd, text.data(), text.size());
  ::close(fd);
}

}  // namespace cds::test
