// hooks/background: the report thread's queue. Bounded (a task over the bound is refused, not queued), a
// throwing task does not end the thread, and Stop() drops what has not started and waits for what runs.
#include "hooks/background.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace cds::hooks {
namespace {

// A gate a task waits at until the test opens it.
class Gate {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    entered_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
  }
  void WaitEntered() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return entered_; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false, open_ = false;
};

TEST(BackgroundQueue, RefusesOverItsBound) {
  BackgroundQueue queue(3);
  Gate gate;
  std::atomic<int> ran{0};
  ASSERT_TRUE(queue.Post([&] {
    gate.Wait();
    ++ran;
  }));
  gate.WaitEntered();  // the first runs; two more may wait behind it
  EXPECT_TRUE(queue.Post([&] { ran += 10; }));
  EXPECT_TRUE(queue.Post([&] { ran += 10; }));
  EXPECT_FALSE(queue.Post([&] { ran += 100; }));  // a fourth: refused, never run
  gate.Open();
  for (int i = 0; i < 500 && ran.load() != 21; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(ran.load(), 21);
}

TEST(BackgroundQueue, StopDropsWhatHasNotStartedAndWaitsForWhatRuns) {
  BackgroundQueue queue(1u << 20);
  Gate gate;
  std::atomic<int> ran{0};
  ASSERT_TRUE(queue.Post([&] {
    gate.Wait();
    ++ran;
  }));
  gate.WaitEntered();
  ASSERT_TRUE(queue.Post([&] { ran += 10; }));  // waits behind the first
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    queue.Stop();
    stopped = true;
  });
  // Far from its bound, the queue refuses a task only once Stop() has begun (and dropped the waiting one).
  while (queue.Post([] {})) std::this_thread::yield();
  EXPECT_FALSE(stopped.load());  // it waits for the running task
  gate.Open();
  stopper.join();
  EXPECT_EQ(ran.load(), 1);
  queue.Stop();  // again: nothing happens
  EXPECT_FALSE(queue.Post([&] { ran += 1000; }));
  EXPECT_EQ(ran.load(), 1);
}

TEST(BackgroundQueue, AThrowingTaskDoesNotEndTheThread) {
  BackgroundQueue queue(3);
  std::atomic<bool> after{false};
  ASSERT_TRUE(queue.Post([] { throw std::runtime_error("a bug"); }));
  ASSERT_TRUE(queue.Post([] { throw 42; }));
  ASSERT_TRUE(queue.Post([&] { after = true; }));
  for (int i = 0; i < 500 && !after; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(after.load());
  // The three have finished: there is room for three again.
  for (int i = 0; i < 500; ++i) {
    if (queue.Post([] {})) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(queue.Post([] {}));
  EXPECT_TRUE(queue.Post([] {}));
}

}  // namespace
}  // namespace cds::hooks
