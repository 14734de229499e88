// audit/sqlite_store.cpp against a real SQLite file: the migration from an empty database, batches as
// transactions, a repeated card or feedback item kept once, reopening, many writers at once, and a database
// from a newer build refused rather than written.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <thread>

#include "audit/schema.h"
#include "audit/store.h"
#include "tests/support/audit_samples.h"
#include "tests/support/files.h"

namespace cds::audit {
namespace {

using test::SampleCard;
using test::SampleOverride;


TEST(SqliteStore, MigratesAnEmptyDatabaseAndKeepsRepeatsOnce) {
  test::TempDir dir;
  const std::string path = dir.Join("audit.db");
  {
    auto store = OpenStore("sqlite:" + path);
    EXPECT_EQ(store->SchemaVersion(), static_cast<int>(Migrations().size()));
    store->Write({SampleCard("c1"), SampleCard("c2"), SampleOverride("c1", "r1")});
    store->Write({SampleCard("c1"), SampleOverride("c1", "r1"), SampleOverride("c1", "r2"), SampleOverride("unknown", "r1")});
    EXPECT_EQ(store->CountCards(), 2);
    EXPECT_EQ(store->CountFeedback(), 3);  // c1/r1 once, c1/r2, and the unknown card's item kept
  }
  auto reopened = OpenStore(path);  // a bare path is SQLite too
  EXPECT_EQ(reopened->SchemaVersion(), static_cast<int>(Migrations().size()));
  EXPECT_EQ(reopened->CountCards(), 2);
  // WAL mode: readers (reports) never block the writer.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  sqlite3_close(db);
}

TEST(SqliteStore, ManyWritersAtOnceLoseNothing) {
  test::TempDir dir;
  const std::string path = dir.Join("audit.db");
  OpenStore(path);  // migrated once
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      auto store = OpenStore(path);  // a connection each, as replicas on one file would have
      for (int b = 0; b < 25; ++b) {
        std::vector<Event> batch;
        for (int i = 0; i < 20; ++i) batch.push_back(SampleCard("w" + std::to_string(w) + "-" + std::to_string(b * 20 + i)));
        store->Write(batch);
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(OpenStore(path)->CountCards(), 4 * 25 * 20);
}

TEST(SqliteStore, ADatabaseFromANewerBuildIsRefused) {
  test::TempDir dir;
  const std::string path = dir.Join("audit.db");
  OpenStore(path);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "UPDATE schema_version SET version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  try {
    OpenStore(path);
    ADD_FAILURE() << "opened a version-99 database";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99, newer than this build knows"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(OpenStore(dir.Join("no-such-dir/audit.db")), StoreError);
}

}  // namespace
}  // namespace cds::audit
