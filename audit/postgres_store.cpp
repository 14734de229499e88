// The PostgreSQL store, for replicas behind a load balancer sharing one card log (feedback reaching any
// replica finds its card). Migrations run under an advisory lock, so replicas starting together migrate
// once. A batch is one transaction of multi-row INSERTs (one round trip per hundred rows, not per row). A
// dropped connection is re-established on the next write; the failed batch is retried by the recorder.
// Messages name the host and database, never the password.
#include <libpq-fe.h>

#include <mutex>
#include <string_view>

#include "audit/schema.h"
#include "audit/store.h"

namespace cds::audit {
namespace {

constexpr long kMigrationLock = 0x41636869;  // "Achi": pg_advisory_xact_lock key of the migrations
constexpr std::size_t kRowsPerStatement = 100;

// postgresql://user:secret@host:5432/db?… → host:5432/db (what a message may show).
std::string Where(const std::string& url) {
  std::string_view u = url;
  u.remove_prefix(u.find("://") == std::string_view::npos ? 0 : u.find("://") + 3);
  if (const std::size_t at = u.find('@'); at != std::string_view::npos) u.remove_prefix(at + 1);
  if (const std::size_t q = u.find('?'); q != std::string_view::npos) u = u.substr(0, q);
  return std::string(u);
}


class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::string url) : url_(std::move(url)), where_(Where(url_)) {
    try {
      Connect();
      Migrate();
    } catch (...) {
      PQfinish(conn_);  // a constructor that throws runs no destructor
      conn_ = nullptr;
      throw;
    }
  }
  ~PostgresStore() override { PQfinish(conn_); }

  void Write(const std::vector<Event>& events) override {
    std::lock_guard<std::mutex> lock(mu_);
    Reconnect();
    std::vector<std::vector<std::string>> cards, feedback;
    for (const Event& e : events) {
      if (const auto* c = std::get_if<CardIssued>(&e)) {
        cards.push_back(CardRow(*c));
      } else {
        feedback.push_back(FeedbackRow(std::get<FeedbackItem>(e)));
      }
    }
    Exec("BEGIN");
    try {
      Insert(kInsertCard, cards);
      Insert(kInsertFeedback, feedback);
      Exec("COMMIT");
    } catch (...) {
      PQclear(PQexec(conn_, "ROLLBACK"));
      throw;
    }
  }

  int SchemaVersion() override { return static_cast<int>(Scalar("SELECT version FROM schema_version")); }
  long CountCards() override { return Scalar("SELECT count(*) FROM cards"); }
  long CountFeedback() override { return Scalar("SELECT count(*) FROM feedback"); }
  Rows Query(const char* sql, const std::vector<std::string>& params) override {
    std::lock_guard<std::mutex> lock(mu_);
    Reconnect();
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    Check(r, "query");
    Rows rows(static_cast<std::size_t>(PQntuples(r)));
    const int columns = PQnfields(r);
    for (int i = 0; i < PQntuples(r); ++i) {
      for (int c = 0; c < columns; ++c) {
        rows[static_cast<std::size_t>(i)].emplace_back(PQgetvalue(r, i, c), static_cast<std::size_t>(PQgetlength(r, i, c)));
      }
    }
    PQclear(r);
    return rows;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) {
    std::string why = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    throw StoreError("audit database " + where_ + ": " + what + ": " + why);
  }
  // The URL as given, after defaults it may override: a server that takes the connection and never answers
  // (a half-open network, a proxy with no backend) fails after connect_timeout seconds (per address tried)
  // instead of holding the writer, a report or the service's start for ever; data sent to a peer that has
  // gone away fails after tcp_user_timeout ms instead of the kernel's quarter of an hour of retransmissions;
  // and a connection waiting for an answer from a server gone silent is dropped by TCP keepalives after
  // about a minute (30 s idle, then 3 probes 10 s apart) instead of the system's two hours. The recorder
  // keeps and retries what failed, as for any store error.
  void Connect() {
    const char* const keywords[] = {"connect_timeout", "tcp_user_timeout", "keepalives_idle", "keepalives_interval",
                                    "keepalives_count", "dbname", nullptr};
    const char* const values[] = {"10", "30000", "30", "10", "3", url_.c_str(), nullptr};
    conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
    if (PQstatus(conn_) != CONNECTION_OK) Fail("cannot connect");
    PQclear(PQexec(conn_, "SET client_min_messages = warning"));  // no NOTICE for IF NOT EXISTS on stderr
  }
  void Reconnect() {
    if (PQstatus(conn_) == CONNECTION_OK) return;
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) Fail("reconnect");
  }
  void Check(PGresult* r, const std::string& what) {
    const ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
      std::string why = PQresultErrorMessage(r);
      PQclear(r);
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      throw StoreError("audit database " + where_ + ": " + what + ": " + why);
    }
  }
  void Exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    Check(r, sql.substr(0, 40));
    PQclear(r);
  }
  long Scalar(const char* sql) {
    std::lock_guard<std::mutex> lock(mu_);
    PGresult* r = PQexec(conn_, sql);
    Check(r, sql);
    const long v = PQntuples(r) > 0 ? std::stol(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    return v;
  }
  void Insert(const char* single, const std::vector<std::vector<std::string>>& rows) {
    const std::size_t columns = rows.empty() ? 0 : rows[0].size();
    for (std::size_t at = 0; at < rows.size(); at += kRowsPerStatement) {
      const std::size_t n = std::min(kRowsPerStatement, rows.size() - at);
      const std::string sql = MultiRow(single, columns, n);
      std::vector<const char*> values;
      values.reserve(n * columns);
      for (std::size_t i = at; i < at + n; ++i) {
        for (const std::string& v : rows[i]) values.push_back(v.c_str());
      }
      PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                                 nullptr, 0);
      Check(r, "insert");
      PQclear(r);
    }
  }
  void Migrate() {
    std::lock_guard<std::mutex> lock(mu_);
    Exec("BEGIN");
    try {
      Exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")");
      Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      PGresult* r = PQexec(conn_, "SELECT version FROM schema_version");
      Check(r, "schema version");
      int version = PQntuples(r) > 0 ? std::stoi(PQgetvalue(r, 0, 0)) : -1;
      PQclear(r);
      if (version < 0) {
        Exec("INSERT INTO schema_version VALUES (0)");
        version = 0;
      }
      const std::vector<const char*>& migrations = Migrations();
      if (version > static_cast<int>(migrations.size())) {
        throw StoreError("audit database " + where_ + " has schema version " + std::to_string(version) +
                         ", newer than this build knows (" + std::to_string(migrations.size()) + ")");
      }
      for (std::size_t v = static_cast<std::size_t>(version); v < migrations.size(); ++v) {
        Exec(migrations[v]);
        Exec("UPDATE schema_version SET version = " + std::to_string(v + 1));
      }
      Exec("COMMIT");
    } catch (...) {
      PQclear(PQexec(conn_, "ROLLBACK"));
      throw;
    }
  }

  std::string url_, where_;
  PGconn* conn_ = nullptr;
  std::mutex mu_;
};

}  // namespace

std::unique_ptr<Store> OpenPostgresStore(const std::string& url) { return std::make_unique<PostgresStore>(url); }

}  // namespace cds::audit
