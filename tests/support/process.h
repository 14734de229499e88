// Runs the real achilles-cds binary ($ACHILLES_BINARY) for command-line and signal tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace cds::test {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or timed out
  std::string out;
  std::string err;
};

std::string BinaryPath();

// A loopback TCP port free right now, for a helper server told its port on the command line (PostgreSQL,
// nginx); 0 when none could be had.
uint16_t FreePort();

// Runs to completion (killed after `timeout`), feeding `input` on stdin.
ProcessResult RunBinary(const std::vector<std::string>& args, const std::string& input = "",
                        std::chrono::seconds timeout = std::chrono::seconds(30));

// `achilles-cds serve --port 0 …` in the background; learns the port from its first stdout line. Without a
// --settings argument it serves the configuration's server.development.json (authentication off).
class ServeProcess {
 public:
  explicit ServeProcess(const std::vector<std::string>& extra_args);
  ~ServeProcess();
  uint16_t port() const { return port_; }
  void Signal(int signo);
  // Waits for exit; returns the exit code (-1 on timeout or death by signal). Collects stderr.
  int Wait(std::chrono::seconds timeout = std::chrono::seconds(20));
  // Everything written to stderr so far (non-blocking).
  const std::string& err() {
    DrainErr();
    return err_;
  }

 private:
  void DrainErr();

 public:
 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  uint16_t port_ = 0;
  std::string err_;
};

// A helper program (node, openssl, nginx …) in the background; SIGTERM (then SIGKILL) when stopped or
// destroyed. Its stdout is read line by line; stderr is kept for failure messages.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::string& program, const std::vector<std::string>& args);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  // The first stdout line containing `marker` ("" when the process exits or the time runs out).
  std::string WaitForLine(const std::string& marker, std::chrono::seconds timeout = std::chrono::seconds(30));
  std::string err();
  void Stop();

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_, err_;
};

}  // namespace cds::test
