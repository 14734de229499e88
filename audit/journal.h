// The card journal: where a card record is safe from a killed process before its answer leaves, without
// waiting for a database commit. A fixed-size ring in a file of the data folder, mapped shared: a record
// appended is a memcpy into the kernel's page cache, which outlives the process (kill -9, a crash, an OOM
// kill), so the next process on that folder finds every card that was answered but not yet committed and
// writes it. Once the writer has committed a card, its space is released for new ones.
//
// Each process owns one journal file (card-journal.N, taken with an exclusive flock); files left by a
// process that ended are taken over at start and their cards recovered. What survives is what a kill
// leaves in the page cache: a power loss can lose the last seconds of a journal, as of SQLite's
// synchronous=NORMAL. Records carry pseudonymous card records only (events.h): no raw id, no text.
//
//   std::vector<std::string> recovered;
//   auto journal = CardJournal::Open("data", 16 << 20, recovered);   // recovered: packed records
//   … write `recovered` to the store, then journal->ReleaseRecovered();
//   uint64_t end = journal->Append(packed);        // 0: the ring is full (not journaled)
//   … once committed: journal->Release(end);
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cds::audit {

class CardJournal {
 public:
  // Takes the first journal file of `dir` no live process holds (creating card-journal.N when all are held),
  // of `bytes` (rounded to pages; a file of another size is recovered, then resized). Every unheld journal
  // in `dir` is recovered: its records not yet released are appended to `recovered`, oldest first, and the
  // other files stay held until ReleaseRecovered. Throws StoreError when the folder or a file cannot be used.
  static std::unique_ptr<CardJournal> Open(const std::string& dir, std::size_t bytes,
                                           std::vector<std::string>& recovered);
  ~CardJournal();
  CardJournal(const CardJournal&) = delete;
  CardJournal& operator=(const CardJournal&) = delete;

  // Once the recovered records are committed: they are released, and the other processes' files let go.
  void ReleaseRecovered();
  // Appends one record; returns its end (for Release), or 0 when the ring has no room for it. Not
  // thread-safe: the caller serialises appends and releases.
  uint64_t Append(std::string_view record);
  // Frees every record up to `end` (an Append result): they are committed.
  void Release(uint64_t end);
  std::size_t used() const { return static_cast<std::size_t>(head_ - tail_); }
  std::size_t capacity() const { return data_bytes_; }
  const std::string& path() const { return path_; }

 private:
  struct File;
  CardJournal() = default;

  std::string path_;
  int fd_ = -1;
  char* map_ = nullptr;
  std::size_t map_bytes_ = 0, data_bytes_ = 0;
  uint64_t head_ = 0, tail_ = 0;  // logical offsets into the data area (they only grow)
  uint64_t next_seq_ = 1;         // the sequence number the next record gets
  uint64_t generation_ = 0;       // of the header slot written last
  std::vector<std::unique_ptr<File>> others_;  // other processes' files, held until ReleaseRecovered
};

}  // namespace cds::audit
