// The writer: waits for a batch to fill or its interval to pass, writes it in one transaction, and on a
// store error keeps it and retries with capped back-off. Log lines carry counts and the store's error,
// never an event's content.
#include "audit/recorder.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <cstdio>

namespace cds::audit {
namespace {

constexpr auto kGather = std::chrono::microseconds(500);  // how long a commit waits for more answers to join it

void PutString(std::string& out, std::string_view s) {
  const auto n = static_cast<uint32_t>(s.size());
  out.append(reinterpret_cast<const char*>(&n), sizeof n).append(s);
}

void PutList(std::string& out, const std::vector<std::string>& items) {
  const auto n = static_cast<uint32_t>(items.size());
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  for (const std::string& s : items) PutString(out, s);
}

void Pack(const CardIssued& c, std::string& out) {
  out.clear();
  for (const std::string* s : {&c.issued_at, &c.service, &c.hook, &c.hook_instance, &c.rule, &c.indicator,
                               &c.card_uuid, &c.patient_key, &c.user_key, &c.encounter_key, &c.trigger_key}) {
    PutString(out, *s);
  }
  PutList(out, c.suggestion_uuids);
  PutList(out, c.evidence);
  out.push_back(c.withheld ? '1' : '0');
}

class Unpacker {
 public:
  explicit Unpacker(std::string_view packed) : in_(packed) {}
  // Bounds-checked: a journal record from another build is refused, never read past its end.
  uint32_t Count() {
    uint32_t n = 0;
    if (in_.size() < sizeof n) throw std::length_error("truncated card record");
    std::memcpy(&n, in_.data(), sizeof n);
    in_.remove_prefix(sizeof n);
    return n;
  }
  void String(std::string& out) {
    const uint32_t n = Count();
    if (n > in_.size()) throw std::length_error("truncated card record");
    out.assign(in_.data(), n);
    in_.remove_prefix(n);
  }
  void List(std::vector<std::string>& out) {
    const uint32_t n = Count();
    if (n > in_.size()) throw std::length_error("truncated card record");
    out.resize(n);
    for (std::string& s : out) String(s);
  }
  char Char() {
    if (in_.size() != 1) throw std::length_error("malformed card record");
    return in_.front();
  }

 private:
  std::string_view in_;
};

// Into `c`, reusing its strings' buffers (the writer unpacks batch after batch into the same events).
void Unpack(const std::string& packed, CardIssued& c) {
  Unpacker in(packed);
  for (std::string* s : {&c.issued_at, &c.service, &c.hook, &c.hook_instance, &c.rule, &c.indicator, &c.card_uuid,
                         &c.patient_key, &c.user_key, &c.encounter_key, &c.trigger_key}) {
    in.String(*s);
  }
  in.List(c.suggestion_uuids);
  in.List(c.evidence);
  c.withheld = in.Char() == '1';
}

}  // namespace

Recorder::Recorder(std::unique_ptr<Store> store, Options options)
    : store_(std::move(store)), options_(std::move(options)) {
  if (!options_.log_error) {
    options_.log_error = [](const std::string& line) { std::fprintf(stderr, "audit: %s\n", line.c_str()); };
  }
  if (!options_.journal_dir.empty()) {
    std::vector<std::string> left;
    journal_ = CardJournal::Open(options_.journal_dir, options_.journal_bytes, left);
    // What a killed process answered and had not committed: written before this one records anything.
    std::vector<Event> batch;
    long unreadable = 0;
    for (const std::string& packed : left) {
      CardIssued card;
      try {
        Unpack(packed, card);
      } catch (const std::length_error&) {
        ++unreadable;
        continue;
      }
      batch.emplace_back(std::move(card));
      if (batch.size() == options_.batch_rows) {
        store_->Write(batch);
        batch.clear();
      }
    }
    if (!batch.empty()) store_->Write(batch);
    journal_->ReleaseRecovered();
    recovered_ = static_cast<long>(left.size()) - unreadable;
    if (recovered_ > 0) {
      options_.log_error(std::to_string(recovered_) +
                         " card record(s) recovered from the journal of a process that ended before writing them");
    }
    if (unreadable > 0) {
      options_.log_error(std::to_string(unreadable) + " journal record(s) could not be read (not this build's)");
    }
  }
  writer_ = std::thread([this] { Run(); });
}

Recorder::~Recorder() { Stop(); }

long Recorder::RecordCard(const CardIssued& card) {
  // Into a buffer a written card left behind, when there is one: no allocation here, and none freed by the
  // writer into this thread's heap.
  std::string packed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!spare_.empty()) {
      packed = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  Pack(card, packed);
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_ || queue_.size() >= options_.capacity) {
    ++dropped_;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_drop_log_ >= std::chrono::seconds(1)) {
      last_drop_log_ = now;
      const long dropped = dropped_;
      lock.unlock();
      options_.log_error("card log queue full (" + std::to_string(options_.capacity) + " events): " +
                         std::to_string(dropped) + " card record(s) dropped so far");
    }
    return 0;
  }
  ++enqueued_;
  const uint64_t journal_end = journal_ ? journal_->Append(packed) : 0;
  if (journal_end == 0) {
    last_unjournaled_ = enqueued_;
    if (journal_) ++unjournaled_;
  }
  queue_.emplace_back(QueuedCard{std::move(packed), journal_end});
  if (queue_.size() >= options_.batch_rows) wake_.notify_one();
  return enqueued_;
}

bool Recorder::Safe(long seq) const {
  std::lock_guard<std::mutex> lock(mu_);
  return SafeLocked(seq);
}

bool Recorder::SafeLocked(long seq) const { return seq <= written_ || last_unjournaled_ <= written_; }

void Recorder::WhenWritten(long seq, std::chrono::milliseconds max_wait, std::function<void()> done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!SafeLocked(seq) && !stopping_ && store_ok_) {
      waiters_.push_back(Waiter{seq, std::chrono::steady_clock::now() + max_wait, std::move(done)});
      // Someone waits: the writer commits what is queued now, not at the end of the interval. A writer busy
      // with a batch needs no wake-up — it goes on at once while anyone waits — so under load the answers
      // waiting meanwhile share its next commit (group commit), without a wake-up each.
      if (writer_idle_) wake_.notify_one();
      return;
    }
    if (!SafeLocked(seq)) ++answered_unwritten_;  // neither committed nor journaled
  }
  done();
}

void Recorder::TakeWaiters(bool all, std::vector<std::function<void()>>& out) {
  const auto now = std::chrono::steady_clock::now();
  auto keep = waiters_.begin();
  for (auto it = waiters_.begin(); it != waiters_.end(); ++it) {
    const bool written = it->seq <= written_;
    if (written || all || now >= it->until) {
      if (!written) ++answered_unwritten_;
      out.push_back(std::move(it->done));
    } else {
      *keep++ = std::move(*it);
    }
  }
  waiters_.erase(keep, waiters_.end());
}

bool Recorder::RecordFeedback(std::vector<FeedbackItem> items) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_ || queue_.size() + items.size() > options_.capacity) {
    refused_ += static_cast<long>(items.size());
    return false;
  }
  for (FeedbackItem& f : items) queue_.emplace_back(std::move(f));
  enqueued_ += static_cast<long>(items.size());
  urgent_ = true;  // a clinician's response is rare: no reason to hold it back
  wake_.notify_one();
  return true;
}

bool Recorder::Flush(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  const long target = enqueued_;
  urgent_ = true;
  wake_.notify_one();
  return flushed_.wait_for(lock, timeout, [&] { return written_ >= target; });
}

void Recorder::Stop(std::chrono::milliseconds timeout) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      if (!writer_.joinable()) return;
    } else {
      stopping_ = true;
      stop_deadline_ = std::chrono::steady_clock::now() + timeout;
    }
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
  std::vector<std::function<void()>> released;
  {
    std::lock_guard<std::mutex> lock(mu_);
    TakeWaiters(/*all=*/true, released);
    if (!queue_.empty()) {
      options_.log_error(std::to_string(queue_.size()) +
                         " event(s) could not be written before shutdown (the store kept failing)" +
                         (journal_ ? "; the journaled cards among them are written at the next start" : ""));
    }
  }
  for (auto& done : released) done();
}

Recorder::Stats Recorder::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  // An operation that has not come back for this long counts as a store that does not answer (a network
  // partition can leave a connection waiting far longer than any write takes).
  constexpr auto kStuck = std::chrono::seconds(10);
  const bool stuck = store_busy_ && std::chrono::steady_clock::now() - store_busy_since_ > kStuck;
  Stats st;
  st.queued = queue_.size();
  st.written = written_;
  st.dropped = dropped_;
  st.refused = refused_;
  st.store_errors = store_errors_;
  st.answered_unwritten = answered_unwritten_;
  st.recovered = recovered_;
  st.unjournaled = unjournaled_;
  st.store_ok = store_ok_ && !stuck;
  return st;
}

void Recorder::Busy(bool busy) {
  store_busy_ = busy;
  if (busy) store_busy_since_ = std::chrono::steady_clock::now();
}

void Recorder::Run() {
  std::vector<Event> batch;
  std::vector<const Queued*> waiting;
  auto backoff = std::chrono::milliseconds(50);
  std::unique_lock<std::mutex> lock(mu_);
  auto followed = std::chrono::steady_clock::time_point{};
  auto used = std::chrono::steady_clock::now();  // the last operation on the store
  // Called with the lock held; reads without it.
  // Runs `op` on the store without the lock, marked busy (readiness sees one that hangs); the error, if any,
  // comes back as its message ("" when it succeeded), and store_ok_ says the same.
  auto use_store = [&](auto op) {
    Busy(true);
    lock.unlock();
    std::string error;
    try {
      op();
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "failed";
    }
    lock.lock();
    Busy(false);
    used = std::chrono::steady_clock::now();
    store_ok_ = error.empty();
    return error;
  };
  auto follow = [&](bool now) {
    if (!options_.follow || stopping_) return;
    const auto t = std::chrono::steady_clock::now();
    if (!now && t - followed < options_.follow_interval) return;
    followed = t;
    const std::string error = use_store([&] { options_.follow(*store_); });
    if (!error.empty()) options_.log_error("reading the clinicians' responses failed (retried): " + error);
  };
  // Nothing written or read for a while: is the store still there? (Readiness probes ask.)
  auto probe = [&] {
    if (stopping_ || std::chrono::steady_clock::now() - used < options_.probe_interval) return;
    const bool was_ok = store_ok_;
    use_store([&] { store_->SchemaVersion(); });
    if (store_ok_ != was_ok) options_.log_error(store_ok_ ? "the store answers again" : "the store does not answer");
  };
  // Answers waiting for their cards to be committed (WhenWritten): called without the lock.
  std::vector<std::function<void()>> released;
  auto release = [&](bool all) {
    TakeWaiters(all, released);
    if (released.empty()) return;
    lock.unlock();
    for (auto& done : released) done();
    released.clear();
    lock.lock();
  };
  follow(true);
  for (;;) {
    // A batch is due when it is full, when its oldest event has waited the interval, or when stopping.
    writer_idle_ = true;
    wake_.wait_for(lock, options_.flush_interval, [&] {
      return stopping_ || urgent_ || !waiters_.empty() || queue_.size() >= options_.batch_rows;
    });
    writer_idle_ = false;
    if (!waiters_.empty() && !stopping_ && !urgent_ && queue_.size() < options_.batch_rows) {
      // Woken for an answer that waits: gather the calls arriving meanwhile into the same commit. Without
      // this the woken writer (it sleeps, so the scheduler runs it first) commits one card at a time, and a
      // core's time goes to switching between it and the I/O thread.
      wake_.wait_for(lock, kGather, [&] { return stopping_ || urgent_ || queue_.size() >= options_.batch_rows; });
    }
    release(false);  // the ones past their time
    follow(false);
    if (queue_.empty()) probe();
    if (queue_.size() <= options_.batch_rows) urgent_ = false;  // this batch takes everything waiting
    if (queue_.empty()) {
      flushed_.notify_all();
      if (stopping_) return;
      continue;
    }
    const std::size_t n = std::min(queue_.size(), options_.batch_rows);
    // The queued events stay where they are (a failed write retries them) until their batch is committed.
    // Only the writer removes them, from the front, and appending to a deque moves no element: pointers
    // taken under the lock stay valid to read without it.
    waiting.clear();
    for (std::size_t i = 0; i < n; ++i) waiting.push_back(&queue_[i]);
    const std::string error = use_store([&] {
      batch.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        if (const auto* card = std::get_if<QueuedCard>(waiting[i])) {
          if (!std::holds_alternative<CardIssued>(batch[i])) batch[i] = CardIssued{};
          Unpack(card->packed, std::get<CardIssued>(batch[i]));
        } else {
          batch[i] = std::get<FeedbackItem>(*waiting[i]);
        }
      }
      store_->Write(batch);
    });
    if (error.empty()) {
      uint64_t journal_end = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (auto* card = std::get_if<QueuedCard>(&queue_.front())) {
          journal_end = std::max(journal_end, card->journal_end);
          if (spare_.size() < kSpares) spare_.push_back(std::move(card->packed));
        }
        queue_.pop_front();
      }
      if (journal_end != 0) journal_->Release(journal_end);  // committed: the journal need not keep them
      const bool feedback = std::any_of(batch.begin(), batch.end(),
                                        [](const Event& e) { return std::holds_alternative<FeedbackItem>(e); });
      if (feedback) follow(true);
      written_ += static_cast<long>(n);
      backoff = std::chrono::milliseconds(50);
      flushed_.notify_all();
      release(false);
      continue;
    }
    ++store_errors_;
    release(true);  // the store fails: answers do not wait for it (their cards stay queued)
    lock.unlock();
    options_.log_error("writing " + std::to_string(n) + " event(s) failed, retrying in " +
                       std::to_string(backoff.count()) + " ms: " + error);
    lock.lock();
    if (stopping_ && std::chrono::steady_clock::now() >= stop_deadline_) return;
    wake_.wait_for(lock, backoff, [&] { return stopping_ && std::chrono::steady_clock::now() >= stop_deadline_; });
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

}  // namespace cds::audit
