// Where the audit trail is kept: SQLite (one file, the default) or PostgreSQL (shared by replicas). A store
// is opened from a URL, brings its schema up to date on open (versioned migrations), and writes events in
// batches, each batch one transaction: a batch is in the database entirely or not at all.
//
//   auto store = OpenStore("sqlite:/var/lib/achilles-cds/audit.db");   // or "postgresql://…"
//   store->Write(events);   // throws StoreError; the caller keeps the events and retries
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "audit/events.h"

namespace cds::audit {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Store {
 public:
  virtual ~Store() = default;
  // One transaction. A card already recorded (same uuid) and a feedback item already recorded (same card,
  // outcome, suggestions, reason and outcomeTimestamp) are kept once.
  virtual void Write(const std::vector<Event>& events) = 0;
  // The schema version this store is at (after its migrations).
  virtual int SchemaVersion() = 0;
  // Rows, for tests and reports: cards and feedback items recorded.
  virtual long CountCards() = 0;
  virtual long CountFeedback() = 0;
  // A read of the schema's own queries (schema.h): `params` bind $1, $2 … as text; every value comes back
  // as text, NULL as "".
  using Rows = std::vector<std::vector<std::string>>;
  virtual Rows Query(const char* sql, const std::vector<std::string>& params) = 0;
};

// "sqlite:PATH" (PATH relative to the working directory), a path ending in .db, or "postgresql://…".
// Throws StoreError naming what failed (never a password).
std::unique_ptr<Store> OpenStore(const std::string& url);

std::unique_ptr<Store> OpenPostgresStore(const std::string& url);

// `busy_timeout`: how long a write waits for another connection's lock before it fails (and is retried).
std::unique_ptr<Store> OpenSqliteStore(const std::string& path,
                                       std::chrono::milliseconds busy_timeout = std::chrono::seconds(5));

}  // namespace cds::audit
