// audit/recorder.cpp over a real SQLite store: events reach the database in batches off the caller's
// thread; Stop() drains what is queued; a full queue drops card records (counted) and refuses feedback (the
// EHR retries); a store that fails — here another connection holding the write lock — is retried until the
// batch is in, losing nothing.
#include "audit/recorder.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>
#include <thread>

#include "tests/support/audit_samples.h"
#include "tests/support/files.h"

namespace cds::audit {
namespace {

using test::SampleAcceptance;
using test::SampleCard;


TEST(Recorder, WritesInBatchesAndStopDrainsTheQueue) {
  test::TempDir dir;
  Recorder::Options o;
  o.batch_rows = 100;
  o.flush_interval = std::chrono::seconds(30);  // only a full batch or Stop() writes
  Recorder r(OpenStore(dir.Join("audit.db")), o);
  for (int i = 0; i < 250; ++i) r.RecordCard(SampleCard("c" + std::to_string(i)));
  for (int i = 0; i < 100 && r.stats().written < 200; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(r.stats().written, 200);  // two full batches; fifty wait for the interval
  EXPECT_EQ(r.stats().queued, 50u);
  r.Stop();
  EXPECT_EQ(r.stats().written, 250);
  EXPECT_EQ(OpenStore(dir.Join("audit.db"))->CountCards(), 250);
}

TEST(Recorder, FeedbackIsWrittenAtOnceAndFlushWaitsForIt) {
  test::TempDir dir;
  Recorder::Options o;
  o.flush_interval = std::chrono::seconds(30);
  Recorder r(OpenStore(dir.Join("audit.db")), o);
  r.RecordCard(SampleCard("c1"));
  ASSERT_TRUE(r.RecordFeedback({SampleAcceptance("c1")}));
  EXPECT_TRUE(r.Flush(std::chrono::seconds(5)));
  EXPECT_EQ(r.store().CountFeedback(), 1);
  EXPECT_EQ(r.store().CountCards(), 1);
}

TEST(Recorder, AFullQueueDropsCardRecordsVisiblyAndRefusesFeedback) {
  test::TempDir dir;
  // Another connection holds the write lock: nothing can be written, so the queue fills.
  auto blocked = OpenSqliteStore(dir.Join("audit.db"), std::chrono::milliseconds(20));
  sqlite3* lock = nullptr;
  ASSERT_EQ(sqlite3_open(dir.Join("audit.db").c_str(), &lock), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(lock, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::vector<std::string> logged;
  std::mutex mu;
  Recorder::Options o;
  o.capacity = 100;
  o.batch_rows = 10;
  o.flush_interval = std::chrono::milliseconds(10);
  o.log_error = [&](const std::string& line) {
    std::lock_guard<std::mutex> g(mu);
    logged.push_back(line);
  };
  Recorder r(std::move(blocked), o);
  for (int i = 0; i < 150; ++i) r.RecordCard(SampleCard("c" + std::to_string(i)));
  EXPECT_EQ(r.stats().dropped, 50);
  EXPECT_FALSE(r.RecordFeedback({SampleAcceptance("c1")}));
  EXPECT_EQ(r.stats().refused, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_GT(r.stats().store_errors, 0);  // the writer kept trying
  {
    std::lock_guard<std::mutex> g(mu);
    bool dropped_line = false, retry_line = false;
    for (const std::string& l : logged) {
      dropped_line |= l.find("card record(s) dropped") != std::string::npos;
      retry_line |= l.find("retrying") != std::string::npos;
    }
    EXPECT_TRUE(dropped_line);
    EXPECT_TRUE(retry_line);
  }
  // The lock goes: every queued record is written, none lost to the errors.
  sqlite3_exec(lock, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(lock);
  EXPECT_TRUE(r.Flush(std::chrono::seconds(10)));
  EXPECT_EQ(r.store().CountCards(), 100);
  EXPECT_TRUE(r.RecordFeedback({SampleAcceptance("c1")}));
  r.Stop();
  EXPECT_EQ(OpenStore(dir.Join("audit.db"))->CountFeedback(), 1);
}

// audit.durableBeforeAnswer rests on this: WhenWritten calls back once the card is committed (without waiting
// for the flush interval), and does not hold an answer while the store cannot take it.
TEST(Recorder, WhenWrittenCallsBackOnceTheCardIsCommittedAndNeverWaitsOnAFailingStore) {
  test::TempDir dir;
  Recorder::Options o;
  o.flush_interval = std::chrono::seconds(30);  // a waiter must not wait for this
  Recorder r(OpenStore(dir.Join("audit.db")), o);
  const long seq = r.RecordCard(SampleCard("c1"));
  ASSERT_GT(seq, 0);
  std::promise<long> committed;
  const auto asked = std::chrono::steady_clock::now();
  r.WhenWritten(seq, std::chrono::seconds(20), [&] { committed.set_value(OpenStore(dir.Join("audit.db"))->CountCards()); });
  auto got = committed.get_future();
  ASSERT_EQ(got.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(got.get(), 1);  // in the database when the answer is released
  EXPECT_LT(std::chrono::steady_clock::now() - asked, std::chrono::seconds(5));
  // Already written: at once, on the caller's thread.
  bool now = false;
  r.WhenWritten(seq, std::chrono::seconds(20), [&] { now = true; });
  EXPECT_TRUE(now);
  EXPECT_EQ(r.stats().answered_unwritten, 0);
  r.Stop();

  // The write lock held by another connection: the store fails, and the waiter is released anyway.
  test::TempDir locked_dir;
  auto blocked = OpenSqliteStore(locked_dir.Join("audit.db"), std::chrono::milliseconds(20));
  sqlite3* lock = nullptr;
  ASSERT_EQ(sqlite3_open(locked_dir.Join("audit.db").c_str(), &lock), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(lock, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  Recorder::Options quiet = o;
  quiet.log_error = [](const std::string&) {};
  Recorder failing(std::move(blocked), quiet);
  std::promise<void> released;
  failing.WhenWritten(failing.RecordCard(SampleCard("c2")), std::chrono::seconds(20), [&] { released.set_value(); });
  EXPECT_EQ(released.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(failing.stats().answered_unwritten, 1);
  sqlite3_exec(lock, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(lock);
  failing.Stop();
  EXPECT_EQ(OpenStore(locked_dir.Join("audit.db"))->CountCards(), 1);  // written once the lock went
}

}  // namespace
}  // namespace cds::audit
