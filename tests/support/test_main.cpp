// main() of every test binary: GoogleTest's, after the stderr copy for the suite's log search starts
// (tests/support/suite_log.h), so the lines of in-process servers and routers are searched too.
#include <gtest/gtest.h>

#include "tests/support/suite_log.h"

int main(int argc, char** argv) {
  cds::test::TeeStderr();
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
