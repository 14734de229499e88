// hooks/uuid.cpp: RFC 4122 version-4 UUIDs.
#include "hooks/uuid.h"

#include <gtest/gtest.h>

#include <set>

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
