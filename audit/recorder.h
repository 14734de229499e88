// Records audit events off the request path: Record() only appends to a bounded in-memory queue; one writer
// thread drains it into the store in batches (one transaction each: up to `batch_rows` events, or whatever
// arrived within `flush_interval`). Stop() drains what is queued before it returns (graceful shutdown).
//
// With a journal (Options::journal_dir), each card is also appended to this process's card journal
// (journal.h) as it is queued: a card is safe from a killed process from then on, without waiting for its
// commit, and the next process on the folder writes what a killed one left. Safe() says whether a card is.
//
// When the queue is full (the store is down or slower than the load for longer than the queue lasts), a
// card is still answered — the clinician gets the advice — and its record is dropped: counted, and logged
// once a second at most. Feedback is refused instead (Record returns false and the endpoint answers 503
// with Retry-After), because the EHR can send it again and nothing is lost. While the store fails, the
// writer keeps the batch and retries with back-off; nothing is dropped for a store error alone.
//
//   Recorder recorder(OpenStore(url), {});
//   recorder.Record(CardIssued{…});
//   recorder.Stop();
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "audit/events.h"
#include "audit/journal.h"
#include "audit/store.h"

namespace cds::audit {

class Recorder {
 public:
  struct Options {
    std::size_t capacity = 100'000;                  // events queued at most
    std::size_t batch_rows = 1'000;                  // events per transaction at most
    std::chrono::milliseconds flush_interval{100};   // how long an event may wait for its batch
    // Reads the store on the writer thread (snoozing follows every replica's feedback): at start, right after
    // each transaction that held feedback (before Flush returns), and every `follow_interval` otherwise.
    std::function<void(Store&)> follow;
    std::chrono::milliseconds follow_interval{1000};
    // With nothing to write for this long, the writer reads the store once (readiness: is it reachable?).
    std::chrono::milliseconds probe_interval{5000};
    // Where the recorder says what went wrong (counts and the store's error only); stderr when empty.
    std::function<void(const std::string&)> log_error;
    // The folder of the card journal ("": none, and a card is safe only once committed) and its size.
    std::string journal_dir;
    std::size_t journal_bytes = 4u << 20;
  };
  struct Stats {
    std::size_t queued = 0;   // waiting now
    long written = 0;         // committed
    long dropped = 0;         // card records dropped because the queue was full
    long refused = 0;         // feedback items refused (queue full): the EHR was told to retry
    long store_errors = 0;    // failed transactions (retried)
    long answered_unwritten = 0;  // WhenWritten calls released before their record was committed
    long recovered = 0;       // cards a process that ended left in its journal, written at start
    long unjournaled = 0;     // cards queued when the journal had no room (safe once committed)
    bool store_ok = true;     // the last operation on the store (write, read or probe) succeeded, and none
                              // has been waiting for it for more than 10 s
  };

  // With a journal, first writes the cards ended processes left in theirs (throws StoreError when the
  // journal cannot be opened or those cards cannot be written: they stay for the next start).
  Recorder(std::unique_ptr<Store> store, Options options);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Queues a card record; when full it is dropped, counted and logged. Never blocks on the store. Returns
  // the record's place in the log (for WhenWritten), or 0 when it was dropped.
  long RecordCard(const CardIssued& card);
  // Calls `done` once every event up to `seq` is committed — at once when it already is — or when it cannot
  // be soon: `max_wait` passed, the store failed, or the recorder stops (those are counted in
  // stats().answered_unwritten; the record stays queued and is written when the store can take it). `done`
  // runs on the writer thread (or the caller's), so it must only hand over, never work.
  void WhenWritten(long seq, std::chrono::milliseconds max_wait, std::function<void()> done);
  // True when every card up to `seq` survives this process being killed: journaled, or committed.
  bool Safe(long seq) const;
  // Queues feedback items, all or none: false (nothing queued) when they do not fit.
  bool RecordFeedback(std::vector<FeedbackItem> items);
  // Waits until everything queued before the call is committed, or `timeout` passes; true when it is.
  bool Flush(std::chrono::milliseconds timeout);
  // Drains the queue into the store (retrying a failing store until `timeout`), then stops the writer.
  void Stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  Stats stats() const;
  Store& store() { return *store_; }

 private:
  void Run();
  bool SafeLocked(long seq) const;  // Safe(), with mu_ held
  void Busy(bool busy);  // with mu_ held
  // With mu_ held: takes the waiters whose record is written (all of them when `all`), and those past their
  // time, into `out`, to be called without the lock.
  void TakeWaiters(bool all, std::vector<std::function<void()>>& out);

  std::unique_ptr<Store> store_;
  Options options_;
  mutable std::mutex mu_;
  std::condition_variable wake_, flushed_;
  // A card waits packed into one string (one allocation, a few hundred bytes, instead of a dozen strings):
  // the queue stays small in memory and in the cache the request threads share; feedback waits as it came.
  struct QueuedCard {
    std::string packed;
    uint64_t journal_end = 0;  // where its journal record ends (0: not journaled)
  };
  using Queued = std::variant<QueuedCard, FeedbackItem>;
  std::deque<Queued> queue_;
  struct Waiter {
    long seq;
    std::chrono::steady_clock::time_point until;
    std::function<void()> done;
  };
  std::vector<Waiter> waiters_;
  bool store_ok_ = true;     // the last operation on the store succeeded
  bool store_busy_ = false;  // the writer is in an operation on the store (since store_busy_since_)
  std::chrono::steady_clock::time_point store_busy_since_;
  // Buffers of written cards, for the next cards to pack into (the heap is not churned card by card).
  static constexpr std::size_t kSpares = 4096;
  std::vector<std::string> spare_;
  long enqueued_ = 0, written_ = 0, dropped_ = 0, refused_ = 0, store_errors_ = 0, answered_unwritten_ = 0;
  long recovered_ = 0, unjournaled_ = 0;
  long last_unjournaled_ = 0;  // the last card queued that is not in the journal
  std::unique_ptr<CardJournal> journal_;
  bool stopping_ = false;
  bool urgent_ = false;  // write what is queued now (feedback arrived, or someone waits in Flush)
  bool writer_idle_ = false;  // the writer waits for work (a waiter must wake it)
  std::chrono::steady_clock::time_point stop_deadline_;
  std::chrono::steady_clock::time_point last_drop_log_;
  std::thread writer_;
};

}  // namespace cds::audit
