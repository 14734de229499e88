// hooks/uuid.cpp: RFC 4122 version-4 UUIDs, and RFC 9562 version-7 (time-ordered) ones for cards.
#include "hooks/uuid.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>

namespace cds::hooks {
namespace {

TEST(Uuid, IsVersion4WithTheRfcVariant) {
  for (int i = 0; i < 200; ++i) {
    const std::string u = NewUuid();
    ASSERT_TRUE(IsUuid(u)) << u;
    EXPECT_EQ(u[14], '4') << u;
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;
  }
}

// Version 7: the Unix time in milliseconds leads, so uuids made later sort later (the card log's key is
// appended to, not scattered); the rest is random.
TEST(Uuid, TimeOrderedUuidsAreVersion7AndSortByTime) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  std::string previous = NewTimeOrderedUuid();
  const long long leading = std::stoll(previous.substr(0, 8) + previous.substr(9, 4), nullptr, 16);
  EXPECT_LE(std::llabs(leading - ms), 1000) << previous;
  std::set<std::string> seen{previous};
  for (int i = 0; i < 2000; ++i) {
    const std::string u = NewTimeOrderedUuid();
    ASSERT_TRUE(IsUuid(u)) << u;
    EXPECT_EQ(u[14], '7') << u;
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;
    EXPECT_GE(u.substr(0, 13), previous.substr(0, 13));  // the millisecond part never goes back
    previous = u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 2001u);
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  EXPECT_GT(NewTimeOrderedUuid(), previous);
}

TEST(Uuid, DoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(NewUuid());
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(Uuid, RecognisesTheTextualForm) {
  EXPECT_TRUE(IsUuid("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"));
  EXPECT_TRUE(IsUuid("D1577C69-DFBE-44AD-BA6D-3E05E953B2EA"));
  EXPECT_FALSE(IsUuid("d1577c69dfbe44adba6d3e05e953b2ea"));
  EXPECT_FALSE(IsUuid("d1577c69-dfbe-44ad-ba6d-3e05e953b2eg"));
  EXPECT_FALSE(IsUuid(""));
}

}  // namespace
}  // namespace cds::hooks
