// Work that must not run on an I/O thread: one thread of its own, started on first use, with a short
// queue. The audit report runs here — it opens the card log (a PostgreSQL connect, a SQLite lock that may
// be held for seconds) and reads a period of cards, and on an I/O thread that would hold up every CDS call
// that thread serves.
//
//   BackgroundQueue reports(3);
//   if (!reports.Post([] { … })) { … busy: answer 503 … }
//   reports.Stop();  // before whatever the tasks reach into (an HTTP server's contexts) is destroyed
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace cds::hooks {

class BackgroundQueue {
 public:
  // At most `max_tasks` tasks posted and not yet finished: the one running and those waiting behind it.
  explicit BackgroundQueue(std::size_t max_tasks) : max_tasks_(max_tasks) {}
  // Stop().
  ~BackgroundQueue();
  BackgroundQueue(const BackgroundQueue&) = delete;
  BackgroundQueue& operator=(const BackgroundQueue&) = delete;

  // False (and `task` not kept) when `max_tasks` tasks are already posted and not finished.
  bool Post(std::function<void()> task);
  // Refuses new tasks, drops those not started (destroying them on this thread), and waits for the one
  // running to finish. Idempotent.
  void Stop();

 private:
  void Run();

  const std::size_t max_tasks_;
  std::size_t unfinished_ = 0;  // posted, not yet finished
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cds::hooks
