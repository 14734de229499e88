// Every line the service writes during the suite, kept for one search after it (tests/conformance/
// check_logs.py: no patient identifier, resource content or token in any of them). Active only when ctest
// sets $ACHILLES_SUITE_LOGS to a folder.
//
//   TeeStderr();                     // an in-process server's log lines: this process's stderr, copied
//   KeepLog("serve", server_stderr); // a spawned binary's stderr, when it ends
#pragma once

#include <string_view>

namespace cds::test {

// From the first call on, what this process writes to stderr also goes to a file in the folder (once per
// process; the copy ends at exit). Does nothing without $ACHILLES_SUITE_LOGS.
void TeeStderr();

// Appends `text` to a new file in the folder named after `origin`. Does nothing without the variable.
void KeepLog(std::string_view origin, std::string_view text);

}  // namespace cds::test
