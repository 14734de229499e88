#include "hooks/background.h"

#include "hooks/log.h"

namespace cds::hooks {

BackgroundQueue::~BackgroundQueue() { Stop(); }

void BackgroundQueue::Stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    dropped.swap(tasks_);
    unfinished_ -= dropped.size();
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  dropped.clear();  // their captures go here, on the caller's thread, not under the lock
}

bool BackgroundQueue::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || unfinished_ >= max_tasks_) return false;
    // Started before the task is queued: when no thread can be made, the exception leaves nothing behind.
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
    tasks_.push_back(std::move(task));
    ++unfinished_;
  }
  wake_.notify_one();
  return true;
}

void BackgroundQueue::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
    if (tasks_.empty()) return;  // stopping (Stop() took what had not started)
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    try {
      task();
    } catch (const std::exception& e) {  // a task's own bug: logged, and the thread goes on
      LogError("internal error in a background task: %s", e.what());
    } catch (...) {
      LogError("internal error in a background task");
    }
    task = nullptr;  // its captures go here, not under the lock
    lock.lock();
    --unfinished_;
  }
}

}  // namespace cds::hooks
