// File layout: page 0 holds the header — a magic, the data area's size, and two slots {generation, tail,
// tail's sequence number, check} written alternately, so a process killed while writing one leaves the
// other (an older tail: cards committed already are recovered again, and a store keeps a card once). The
// data area holds records {length, kind, sequence, check, payload} padded to 8 bytes; a record that would
// cross the end of the area leaves a wrap marker and starts again at its beginning. Recovery reads from
// the tail while each record's sequence number follows the last and its check holds: a record cut short by
// the kill (its answer never left) ends it, and so does what an earlier lap left behind.
#include "audit/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "audit/store.h"

namespace cds::audit {
namespace {

constexpr char kMagic[8] = {'A', 'C', 'H', 'J', 'R', 'N', 'L', '1'};
constexpr std::size_t kPage = 4096;
constexpr std::size_t kRecordHeader = 24;
constexpr uint32_t kRecord = 1, kWrap = 2;

struct Slot {
  uint64_t generation, tail, tail_seq, check;
};
struct Header {
  char magic[8];
  uint64_t data_bytes;
  Slot slots[2];
};

// FNV-1a over 8-byte words (then the last bytes one by one): it only has to tell a record cut short or
// overwritten from a whole one, and a byte at a time would cost a multiply per byte on every card.
uint64_t Fnv(const void* data, std::size_t n, uint64_t h = 1469598103934665603ull) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 1099511628211ull;
  }
  for (; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h ^ (h >> 29);
}
uint64_t SlotCheck(const Slot& s) { return Fnv(&s, offsetof(Slot, check)); }
uint64_t RecordCheck(uint32_t length, uint32_t kind, uint64_t seq, std::string_view payload) {
  uint64_t h = Fnv(&length, sizeof length);
  h = Fnv(&kind, sizeof kind, h);
  h = Fnv(&seq, sizeof seq, h);
  return Fnv(payload.data(), payload.size(), h);
}
std::size_t Aligned(std::size_t n) { return (n + 7) & ~std::size_t{7}; }

[[noreturn]] void Fail(const std::string& path, const std::string& what) {
  throw StoreError("card journal " + path + ": " + what + ": " + std::strerror(errno));
}

// The records of one journal file's bytes not yet released, oldest first; `next_seq` gets the number after
// the last one read.
void Recover(const std::string& bytes, std::vector<std::string>& out, uint64_t& next_seq) {
  next_seq = 1;
  if (bytes.size() < kPage + kPage) return;
  Header h;
  std::memcpy(&h, bytes.data(), sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return;
  const uint64_t data = h.data_bytes;
  if (data == 0 || data % kPage != 0 || data > bytes.size() - kPage) return;
  const Slot* slot = nullptr;
  for (const Slot& s : h.slots) {
    if (s.check == SlotCheck(s) && (slot == nullptr || s.generation > slot->generation)) slot = &s;
  }
  if (slot == nullptr) return;
  const char* area = bytes.data() + kPage;
  uint64_t at = slot->tail, seq = slot->tail_seq;
  while (at - slot->tail < data) {
    const uint64_t phys = at % data, room = data - phys;
    if (room < kRecordHeader) {
      at += room;
      continue;
    }
    uint32_t length = 0, kind = 0;
    uint64_t record_seq = 0, check = 0;
    std::memcpy(&length, area + phys, 4);
    std::memcpy(&kind, area + phys + 4, 4);
    std::memcpy(&record_seq, area + phys + 8, 8);
    std::memcpy(&check, area + phys + 16, 8);
    if (record_seq != seq || (kind != kRecord && kind != kWrap)) break;
    if (kind == kWrap) {
      if (length != 0 || check != RecordCheck(0, kWrap, seq, {})) break;
      at += room;
      ++seq;
      continue;
    }
    if (length > room - kRecordHeader) break;
    const std::string_view payload(area + phys + kRecordHeader, length);
    if (check != RecordCheck(length, kRecord, seq, payload)) break;
    out.emplace_back(payload);
    at += Aligned(kRecordHeader + length);
    ++seq;
  }
  next_seq = seq;
}

std::string ReadAll(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) Fail(path, "cannot read");
  std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) Fail(path, "cannot read");
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

// Opens and exclusively locks `path` when no live process holds it (-1 when one does). The lock is taken
// on the file the path names still: one another process replaced meanwhile is let go.
int TakeFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) Fail(path, "cannot open");
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    if (errno == EWOULDBLOCK) return -1;
    Fail(path, "cannot lock");
  }
  struct stat a {}, b {};
  if (::fstat(fd, &a) != 0 || ::stat(path.c_str(), &b) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

struct CardJournal::File {
  std::string path;
  int fd = -1;
  ~File() {
    if (fd >= 0) ::close(fd);  // lets the lock go
  }
};

std::unique_ptr<CardJournal> CardJournal::Open(const std::string& dir, std::size_t bytes,
                                               std::vector<std::string>& recovered) {
  std::unique_ptr<CardJournal> j(new CardJournal());
  j->data_bytes_ = std::max<std::size_t>(kPage, (bytes + kPage - 1) / kPage * kPage);
  std::vector<int> numbers;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("card-journal.", 0) != 0) continue;
    const std::string n = name.substr(13);
    if (!n.empty() && n.size() < 6 && std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      numbers.push_back(std::stoi(n));
    }
  }
  if (ec) throw StoreError("card journal: cannot read the folder " + dir + ": " + ec.message());
  std::sort(numbers.begin(), numbers.end());
  auto path_of = [&dir](int n) { return dir + "/card-journal." + std::to_string(n); };
  for (int n : numbers) {
    const std::string path = path_of(n);
    const int fd = TakeFile(path);
    if (fd < 0) continue;  // a live process's
    uint64_t next_seq = 1;
    Recover(ReadAll(fd, path), recovered, next_seq);
    if (j->fd_ < 0) {
      j->fd_ = fd;
      j->path_ = path;
    } else {
      auto other = std::make_unique<File>();
      other->path = path;
      other->fd = fd;
      j->others_.push_back(std::move(other));
    }
  }
  for (int n = 0; j->fd_ < 0; ++n) {
    if (std::find(numbers.begin(), numbers.end(), n) != numbers.end()) continue;
    const std::string path = path_of(n);
    j->fd_ = TakeFile(path);
    if (j->fd_ >= 0) {
      j->path_ = path;
      Recover(ReadAll(j->fd_, path), recovered, j->next_seq_);  // made by another process just now: empty
    }
  }
  return j;
}

CardJournal::~CardJournal() {
  if (map_ != nullptr) ::munmap(map_, map_bytes_);
  if (fd_ >= 0) ::close(fd_);
}

void CardJournal::ReleaseRecovered() {
  for (auto& other : others_) {
    if (::ftruncate(other->fd, 0) != 0) Fail(other->path, "cannot empty");
  }
  others_.clear();
  if (map_ != nullptr) return;
  // This process's own file starts empty (zeroed: nothing an earlier process left can be read as a record).
  map_bytes_ = kPage + data_bytes_;
  if (::ftruncate(fd_, 0) != 0 || ::ftruncate(fd_, static_cast<off_t>(map_bytes_)) != 0) Fail(path_, "cannot size");
  // The blocks are reserved now: a full disk fails here, at start, not as a fault when a page is touched.
  if (const int e = ::posix_fallocate(fd_, 0, static_cast<off_t>(map_bytes_)); e != 0) {
    errno = e;
    Fail(path_, "cannot reserve " + std::to_string(map_bytes_) + " bytes");
  }
  void* m = ::mmap(nullptr, map_bytes_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (m == MAP_FAILED) Fail(path_, "cannot map");
  map_ = static_cast<char*>(m);
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.data_bytes = data_bytes_;
  h.slots[1] = Slot{1, 0, next_seq_, 0};  // generation g lives in slot g % 2
  h.slots[1].check = SlotCheck(h.slots[1]);
  std::memcpy(map_, &h, sizeof h);
  head_ = tail_ = 0;
  generation_ = 1;
}

uint64_t CardJournal::Append(std::string_view record) {
  if (map_ == nullptr) return 0;
  const std::size_t need = Aligned(kRecordHeader + record.size());
  const uint64_t phys = head_ % data_bytes_, room = data_bytes_ - phys;
  const uint64_t pad = need > room ? room : 0;
  if (need > data_bytes_ || used() + pad + need > data_bytes_) return 0;
  char* area = map_ + kPage;
  auto put = [&](uint64_t at, uint32_t length, uint32_t kind, std::string_view payload) {
    const uint64_t seq = next_seq_++;
    const uint64_t check = RecordCheck(length, kind, seq, payload);
    char* p = area + at % data_bytes_;
    if (!payload.empty()) std::memcpy(p + kRecordHeader, payload.data(), payload.size());  // a wrap marker has none
    std::memcpy(p, &length, 4);
    std::memcpy(p + 4, &kind, 4);
    std::memcpy(p + 8, &seq, 8);
    std::memcpy(p + 16, &check, 8);
  };
  if (pad != 0) {
    if (pad >= kRecordHeader) put(head_, 0, kWrap, {});
    head_ += pad;
  }
  put(head_, static_cast<uint32_t>(record.size()), kRecord, record);
  head_ += need;
  return head_;
}

void CardJournal::Release(uint64_t end) {
  if (map_ == nullptr || end <= tail_ || end > head_) return;
  // The sequence number of what follows `end`: the record (or wrap marker) there, else the next one made.
  uint64_t seq = next_seq_;
  uint64_t at = end;
  if (data_bytes_ - at % data_bytes_ < kRecordHeader) at += data_bytes_ - at % data_bytes_;
  if (at < head_) std::memcpy(&seq, map_ + kPage + at % data_bytes_ + 8, 8);
  ++generation_;
  Slot s{generation_, end, seq, 0};
  s.check = SlotCheck(s);
  std::memcpy(map_ + offsetof(Header, slots) + (generation_ & 1) * sizeof(Slot), &s, sizeof s);
  // Only now may an append reuse the space (the header no longer points into it).
  tail_ = end;
}

}  // namespace cds::audit
