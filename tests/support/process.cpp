// Child processes for CLI tests (fork/exec with pipes).
#include "tests/support/process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <algorithm>
#include <cstdlib>

#include "tests/support/suite_log.h"

namespace cds::test {
namespace {

// Starts `program` (a path, or a name looked up in PATH) with `args`, its stdio on pipes.
pid_t SpawnProgram(const std::string& program, const std::vector<std::string>& args, int& in_fd, int& out_fd,
                   int& err_fd) {
  int in[2], out[2], err[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0 || ::pipe(err) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(program.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  in_fd = in[1];
  out_fd = out[0];
  err_fd = err[0];
  return pid;
}

pid_t Spawn(const std::vector<std::string>& args, int& in_fd, int& out_fd, int& err_fd) {
  return SpawnProgram(BinaryPath(), args, in_fd, out_fd, err_fd);
}

// Reads what is available from fd into s; false at EOF.
bool Drain(int fd, std::string& s) {
  char buf[4096];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  if (n <= 0) return false;
  s.append(buf, static_cast<std::size_t>(n));
  return true;
}

int WaitPid(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    ::usleep(10000);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  ::close(fd);
  return port;
}

std::string BinaryPath() {
  const char* b = std::getenv("ACHILLES_BINARY");
  EXPECT_NE(b, nullptr) << "ACHILLES_BINARY is not set (ctest sets it)";
  return b != nullptr ? b : "achilles-cds";
}

ProcessResult RunBinary(const std::vector<std::string>& args, const std::string& input, std::chrono::seconds timeout) {
  ProcessResult r;
  int in_fd, out_fd, err_fd;
  const pid_t pid = Spawn(args, in_fd, out_fd, err_fd);
  if (pid < 0) return r;
  ssize_t ignored = ::write(in_fd, input.data(), input.size());
  (void)ignored;
  ::close(in_fd);
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open = 2;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (open > 0 && std::chrono::steady_clock::now() < deadline) {
    if (::poll(fds, 2, 100) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP)) != 0) {
        if (!Drain(fds[i].fd, i == 0 ? r.out : r.err)) {
          ::close(fds[i].fd);
          fds[i].fd = -1;
          --open;
        }
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) ::close(f.fd);
  }
  r.exit_code = WaitPid(pid, std::chrono::seconds(5));
  KeepLog("cli", r.err);
  return r;
}

ServeProcess::ServeProcess(const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {"serve", "--port", "0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  // The development settings of that configuration (authentication off) unless the test names a file.
  if (std::find(args.begin(), args.end(), "--settings") == args.end()) {
    auto config = std::find(args.begin(), args.end(), "--config");
    const std::string dir = config != args.end() && config + 1 != args.end() ? *(config + 1) : "config";
    args.insert(args.end(), {"--settings", dir + "/server.development.json"});
  }
  int in_fd;
  pid_ = Spawn(args, in_fd, out_fd_, err_fd_);
  ::close(in_fd);
  ::fcntl(err_fd_, F_SETFL, O_NONBLOCK);
  std::string out;
  pollfd p{out_fd_, POLLIN, 0};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (out.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    if (::poll(&p, 1, 100) > 0 && !Drain(out_fd_, out)) break;
  }
  const std::size_t colon = out.rfind(':');
  EXPECT_NE(colon, std::string::npos) << "no listening line; stdout: " << out;
  if (colon != std::string::npos) port_ = static_cast<uint16_t>(std::atoi(out.c_str() + colon + 1));
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (err_fd_ >= 0) DrainErr();
  KeepLog("serve", err_);
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

void ServeProcess::Signal(int signo) { ::kill(pid_, signo); }

void ServeProcess::DrainErr() {
  while (Drain(err_fd_, err_)) {
  }
}

int ServeProcess::Wait(std::chrono::seconds timeout) {
  const int code = WaitPid(pid_, timeout);
  pid_ = -1;
  DrainErr();
  return code;
}

BackgroundProcess::BackgroundProcess(const std::string& program, const std::vector<std::string>& args) {
  int in_fd;
  pid_ = SpawnProgram(program, args, in_fd, out_fd_, err_fd_);
  ::close(in_fd);
  ::fcntl(err_fd_, F_SETFL, O_NONBLOCK);
}

BackgroundProcess::~BackgroundProcess() { Stop(); }

std::string BackgroundProcess::WaitForLine(const std::string& marker, std::chrono::seconds timeout) {
  pollfd p{out_fd_, POLLIN, 0};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    for (std::size_t nl; (nl = out_.find('\n')) != std::string::npos;) {
      std::string line = out_.substr(0, nl);
      out_.erase(0, nl + 1);
      if (line.find(marker) != std::string::npos) return line;
    }
    if (::poll(&p, 1, 100) > 0 && !Drain(out_fd_, out_)) break;
  }
  return {};
}

std::string BackgroundProcess::err() {
  while (err_fd_ >= 0 && Drain(err_fd_, err_)) {
  }
  return err_;
}

void BackgroundProcess::Stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    WaitPid(pid_, std::chrono::seconds(5));  // SIGKILL when it does not stop in time
    pid_ = -1;
  }
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
  out_fd_ = err_fd_ = -1;
}

}  // namespace cds::test
