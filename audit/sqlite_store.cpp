// The SQLite store: one file in WAL mode (readers — reports — never block the writer), busy-waiting up to
// 5 s (by default) for a lock, synchronous=NORMAL: a committed batch survives the process being killed (kill -9), and in
// WAL mode at worst the last transactions before a power loss are lost, never the file's consistency.
#include <sqlite3.h>

#include <array>
#include <mutex>

#include "audit/schema.h"
#include "audit/store.h"

namespace cds::audit {
namespace {

constexpr std::size_t kRowsPerStatement = 100;


class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, std::chrono::milliseconds busy_timeout) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError("cannot open the audit database " + path + ": " + why);
    }
    try {
      sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
      Exec("PRAGMA journal_mode=WAL");
      Exec("PRAGMA synchronous=NORMAL");
      Migrate();
      card_ = Prepare(kInsertCard);
      cards_ = Prepare(MultiRow(kInsertCard, kCardColumns, kRowsPerStatement).c_str());
      feedback_ = Prepare(kInsertFeedback);
    } catch (...) {
      Close();  // a constructor that throws runs no destructor
      throw;
    }
  }
  ~SqliteStore() override { Close(); }

  void Write(const std::vector<Event>& events) override {
    std::lock_guard<std::mutex> lock(mu_);
    Exec("BEGIN IMMEDIATE");
    try {
      // Cards a hundred to a statement (one step instead of a hundred), bound from the events themselves;
      // the rest of the cards and the feedback one by one.
      std::size_t in_rows = 0;
      for (const Event& e : events) {
        if (const auto* c = std::get_if<CardIssued>(&e)) {
          values_[in_rows] = CardValues(*c, lists_[in_rows]);
          if (++in_rows == kRowsPerStatement) {
            Bind(cards_, in_rows);
            in_rows = 0;
          }
        } else {
          Insert(feedback_, FeedbackRow(std::get<FeedbackItem>(e)));
        }
      }
      for (std::size_t r = 0; r < in_rows; ++r) {
        values_[0] = values_[r];
        Bind(card_, 1);
      }
      Exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  int SchemaVersion() override {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(Scalar("SELECT version FROM schema_version"));
  }
  long CountCards() override {
    std::lock_guard<std::mutex> lock(mu_);
    return Scalar("SELECT count(*) FROM cards");
  }
  long CountFeedback() override {
    std::lock_guard<std::mutex> lock(mu_);
    return Scalar("SELECT count(*) FROM feedback");
  }
  Rows Query(const char* sql, const std::vector<std::string>& params) override {
    std::lock_guard<std::mutex> lock(mu_);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) Fail("prepare query");
    Rows rows;
    int rc = SQLITE_OK;
    for (std::size_t i = 0; i < params.size() && rc == SQLITE_OK; ++i) {
      // "$N" by name: SQLite numbers parameters in order of first use, which need not be N.
      const int at = sqlite3_bind_parameter_index(s, ("$" + std::to_string(i + 1)).c_str());
      if (at > 0) rc = sqlite3_bind_text(s, at, params[i].data(), static_cast<int>(params[i].size()), SQLITE_STATIC);
    }
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
      std::vector<std::string>& row = rows.emplace_back();
      const int n = sqlite3_column_count(s);
      for (int c = 0; c < n; ++c) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
        row.emplace_back(text != nullptr ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, c)))
                                         : std::string());
      }
      rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) Fail("query");
    return rows;
  }

 private:
  void Close() {
    sqlite3_finalize(card_);
    sqlite3_finalize(cards_);
    sqlite3_finalize(feedback_);
    sqlite3_close(db_);
    card_ = cards_ = feedback_ = nullptr;
    db_ = nullptr;
  }
  [[noreturn]] void Fail(const std::string& what) {
    throw StoreError("audit database " + path_ + ": " + what + ": " + sqlite3_errmsg(db_));
  }
  void Exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) Fail(sql);
  }
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) Fail("prepare");
    return s;
  }
  long Scalar(const char* sql) {
    sqlite3_stmt* s = Prepare(sql);
    const int rc = sqlite3_step(s);
    const long v = rc == SQLITE_ROW ? static_cast<long>(sqlite3_column_int64(s, 0)) : -1;
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW) Fail(sql);
    return v;
  }
  // Steps `s` with the first `rows` rows of values_ bound (SQLITE_STATIC: they outlive the step).
  void Bind(sqlite3_stmt* s, std::size_t rows) {
    sqlite3_reset(s);
    int at = 1;
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::string_view v : values_[r]) {
        sqlite3_bind_text(s, at++, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
      }
    }
    if (sqlite3_step(s) != SQLITE_DONE) Fail("insert");
  }
  void Insert(sqlite3_stmt* s, const std::vector<std::string>& values) {
    sqlite3_reset(s);
    for (std::size_t i = 0; i < values.size(); ++i) {
      // SQLITE_STATIC: `values` outlives the step, so SQLite need not copy each string.
      sqlite3_bind_text(s, static_cast<int>(i + 1), values[i].data(), static_cast<int>(values[i].size()),
                        SQLITE_STATIC);
    }
    if (sqlite3_step(s) != SQLITE_DONE) Fail("insert");
  }
  // Applies every migration past the recorded version, each in its own transaction with its version bump.
  void Migrate() {
    Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    Exec("BEGIN IMMEDIATE");
    sqlite3_stmt* s = Prepare("SELECT version FROM schema_version");
    int version = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
    sqlite3_finalize(s);
    if (version < 0) {
      Exec("INSERT INTO schema_version VALUES (0)");
      version = 0;
    }
    try {
      const std::vector<const char*>& migrations = Migrations();
      if (version > static_cast<int>(migrations.size())) {
        throw StoreError("audit database " + path_ + " has schema version " + std::to_string(version) +
                         ", newer than this build knows (" + std::to_string(migrations.size()) + ")");
      }
      for (std::size_t v = static_cast<std::size_t>(version); v < migrations.size(); ++v) {
        if (sqlite3_exec(db_, migrations[v], nullptr, nullptr, nullptr) != SQLITE_OK) {
          Fail("migration to version " + std::to_string(v + 1));
        }
        Exec(("UPDATE schema_version SET version = " + std::to_string(v + 1)).c_str());
      }
      Exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* card_ = nullptr;
  sqlite3_stmt* cards_ = nullptr;  // kRowsPerStatement cards at once
  std::array<std::array<std::string_view, kCardColumns>, kRowsPerStatement> values_{};
  std::array<CardLists, kRowsPerStatement> lists_;
  sqlite3_stmt* feedback_ = nullptr;
  std::mutex mu_;
};

}  // namespace

std::unique_ptr<Store> OpenSqliteStore(const std::string& path, std::chrono::milliseconds busy_timeout) {
  return std::make_unique<SqliteStore>(path, busy_timeout);
}

}  // namespace cds::audit
