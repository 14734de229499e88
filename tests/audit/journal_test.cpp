// audit/journal.cpp: records appended and released lap after lap; what a process killed with SIGKILL left
// unreleased is recovered by the next one, in order, across the end of the ring; a record cut short, or a
// header slot torn, never loses a record that was whole; a live process's journal is not taken. And the
// Recorder on top: a journaled card is safe at once, a card that found the journal full only once
// committed, and a recorder started on a killed one's folder writes what it left.
#include "audit/journal.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>

#include "audit/recorder.h"
#include "tests/support/audit_samples.h"
#include "tests/support/files.h"

namespace cds::audit {
namespace {

std::string Record(int i) { return "record " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 37), 'x'); }

// Runs `work` in a child process that is then killed (SIGKILL): nothing of its own cleanup runs.
void InAKilledProcess(const std::function<void()>& work) {
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    work();
    ::raise(SIGKILL);
    ::_exit(1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child failed before its kill";
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A journal ready for appends (what an earlier process left is recovered and dropped).
std::unique_ptr<CardJournal> Ready(const test::TempDir& dir, std::size_t bytes) {
  std::vector<std::string> left;
  auto j = CardJournal::Open(dir.path(), bytes, left);
  j->ReleaseRecovered();
  return j;
}

TEST(CardJournal, AppendsAndReleasesLapAfterLapAndSaysWhenFull) {
  test::TempDir dir;
  std::vector<std::string> recovered;
  auto j = CardJournal::Open(dir.path(), 4096, recovered);
  EXPECT_TRUE(recovered.empty());
  EXPECT_EQ(j->Append("before"), 0u);  // not usable before the recovered records are released
  j->ReleaseRecovered();
  EXPECT_EQ(j->capacity(), 4096u);
  std::vector<uint64_t> ends;
  int full_at = -1;
  for (int i = 0; i < 200 && full_at < 0; ++i) {
    const uint64_t end = j->Append(Record(i));
    if (end == 0) full_at = i;
    else ends.push_back(end);
  }
  ASSERT_GT(full_at, 20);  // a 4 KiB ring holds dozens of these
  EXPECT_GT(j->used(), 4096u - 100);
  for (int lap = 0; lap < 50; ++lap) {  // release the oldest, append more: the ring goes round many times
    j->Release(ends[ends.size() / 2]);
    ends.erase(ends.begin(), ends.begin() + static_cast<long>(ends.size() / 2) + 1);
    for (uint64_t end; (end = j->Append(Record(lap))) != 0;) ends.push_back(end);
  }
  j->Release(ends.back());
  EXPECT_EQ(j->used(), 0u);
  EXPECT_EQ(j->Append(std::string(5000, 'y')), 0u);  // larger than the ring: never journaled
}

TEST(CardJournal, TheNextProcessRecoversWhatAKilledOneLeftInOrderAcrossTheRingsEnd) {
  test::TempDir dir;
  InAKilledProcess([&] {
    auto j = Ready(dir, 8192);
    // 240 records (about 13 KiB through an 8 KiB ring), the first 120 released: the 120 left (about
    // 7 KiB) cross the end of the ring.
    uint64_t end = 0;
    for (int i = 0; i < 240; ++i) {
      end = j->Append(Record(i));
      if (end == 0) ::_exit(2);
      if (i == 59 || i == 119) j->Release(end);
    }
  });
  std::vector<std::string> recovered;
  auto j = CardJournal::Open(dir.path(), 8192, recovered);
  ASSERT_EQ(recovered.size(), 120u);
  for (int i = 0; i < 120; ++i) EXPECT_EQ(recovered[static_cast<std::size_t>(i)], Record(120 + i));
  EXPECT_EQ(j->path(), dir.Join("card-journal.0"));  // the killed process's file, taken over
  j->ReleaseRecovered();
  j.reset();
  recovered.clear();
  CardJournal::Open(dir.path(), 8192, recovered);
  EXPECT_TRUE(recovered.empty()) << "released once written: never recovered twice";
}

TEST(CardJournal, ARecordCutShortEndsRecoveryAndATornHeaderSlotLosesNothing) {
  test::TempDir dir;
  InAKilledProcess([&] {
    auto j = Ready(dir, 8192);
    for (int i = 0; i < 10; ++i) j->Append(Record(i));
  });
  const std::string file = dir.Join("card-journal.0");
  const std::string whole = ReadBytes(file);
  // A byte of the seventh record's payload changed (as if the kill came mid-copy): six are recovered.
  std::string cut = whole;
  const std::size_t at = cut.find(Record(6));
  ASSERT_NE(at, std::string::npos);
  cut[at + 3] ^= 1;
  WriteBytes(file, cut);
  std::vector<std::string> recovered;
  CardJournal::Open(dir.path(), 8192, recovered);  // not released: the same file is read again below
  ASSERT_EQ(recovered.size(), 6u);
  EXPECT_EQ(recovered.back(), Record(5));

  // Released up to the fourth record, then a kill while the next header slot was being written: the
  // older slot stands, and recovery starts from its (earlier) tail — more, never fewer.
  WriteBytes(file, whole);
  InAKilledProcess([&] {
    auto j = Ready(dir, 8192);  // this process's file starts empty
    uint64_t fourth = 0;
    for (int i = 0; i < 10; ++i) {
      const uint64_t end = j->Append(Record(i));
      if (i == 3) fourth = end;
    }
    j->Release(fourth);
  });
  std::string torn = ReadBytes(file);
  // The header: magic (8), data size (8), then two 32-byte slots; the first release wrote slot 0.
  torn[16 + 0 * 32 + 8] ^= 0x5a;  // slot 0's tail: its check no longer holds
  WriteBytes(file, torn);
  recovered.clear();
  CardJournal::Open(dir.path(), 8192, recovered);
  ASSERT_EQ(recovered.size(), 10u);  // from slot 1 (the start): all ten
  EXPECT_EQ(recovered.front(), Record(0));
}

TEST(CardJournal, ALiveProcesssJournalIsNotTaken) {
  test::TempDir dir;
  auto live = Ready(dir, 4096);
  ASSERT_NE(live->Append(Record(1)), 0u);
  std::vector<std::string> recovered;
  auto second = CardJournal::Open(dir.path(), 4096, recovered);  // as another replica on the same folder
  EXPECT_TRUE(recovered.empty());
  EXPECT_EQ(second->path(), dir.Join("card-journal.1"));
  EXPECT_EQ(live->path(), dir.Join("card-journal.0"));
}

TEST(RecorderJournal, AJournaledCardIsSafeAtOnceAndOneThatFoundItFullOnceCommitted) {
  test::TempDir dir;
  Recorder::Options o;
  o.flush_interval = std::chrono::seconds(30);  // nothing is committed until Flush
  o.journal_dir = dir.path();
  o.journal_bytes = 4096;  // room for a few sample cards
  Recorder r(OpenStore(dir.Join("audit.db")), o);
  const long first = r.RecordCard(test::SampleCard("c0"));
  EXPECT_TRUE(r.Safe(first));
  bool now = false;
  r.WhenWritten(first, std::chrono::seconds(20), [&] { now = true; });
  EXPECT_TRUE(now) << "a journaled card's answer does not wait for the commit";
  EXPECT_EQ(r.stats().answered_unwritten, 0) << "a journaled card is not an answer left unwritten";
  long last = first;
  for (int i = 1; i < 40; ++i) last = r.RecordCard(test::SampleCard("c" + std::to_string(i)));
  EXPECT_GT(r.stats().unjournaled, 0);
  EXPECT_FALSE(r.Safe(last)) << "the journal was full: only its commit makes it safe";
  EXPECT_EQ(r.store().CountCards(), 0);
  ASSERT_TRUE(r.Flush(std::chrono::seconds(10)));
  EXPECT_TRUE(r.Safe(last));
  EXPECT_EQ(r.store().CountCards(), 40);
  // Released once committed: the journal takes cards again.
  EXPECT_TRUE(r.Safe(r.RecordCard(test::SampleCard("c40"))));
}

TEST(RecorderJournal, ARecorderOnAKilledOnesFolderWritesTheCardsItLeftBeforeAnythingElse) {
  test::TempDir dir;
  InAKilledProcess([&] {
    Recorder::Options o;
    o.flush_interval = std::chrono::seconds(60);
    o.journal_dir = dir.path();
    o.log_error = [](const std::string&) {};
    Recorder r(OpenStore(dir.Join("audit.db")), o);
    for (int i = 0; i < 25; ++i) r.RecordCard(test::SampleCard("killed-" + std::to_string(i)));
    ::raise(SIGKILL);  // here, with the recorder alive: its Stop() would write them
  });
  EXPECT_EQ(OpenStore(dir.Join("audit.db"))->CountCards(), 0);  // none was committed
  std::vector<std::string> said;
  Recorder::Options o;
  o.journal_dir = dir.path();
  o.log_error = [&](const std::string& line) { said.push_back(line); };
  Recorder r(OpenStore(dir.Join("audit.db")), o);
  EXPECT_EQ(r.store().CountCards(), 25);  // written in the constructor, before any new card
  EXPECT_EQ(r.stats().recovered, 25);
  ASSERT_FALSE(said.empty());
  EXPECT_NE(said[0].find("25 card record(s) recovered"), std::string::npos) << said[0];
  r.Stop();
  Recorder again(OpenStore(dir.Join("audit.db")), o);
  EXPECT_EQ(again.stats().recovered, 0);
  EXPECT_EQ(again.store().CountCards(), 25);
}

}  // namespace
}  // namespace cds::audit
