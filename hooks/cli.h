// The command line: `achilles-cds serve | evaluate | help`. Returns the process exit code:
// 0 success, 1 request refused or the server could not start, 2 usage error, 3 configuration error.
#pragma once

namespace cds::hooks {

int RunCli(int argc, char** argv);

}  // namespace cds::hooks
