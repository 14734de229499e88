// achilles-cds: entry point. Everything happens in hooks::RunCli.
#include "hooks/cli.h"

int main(int argc, char** argv) { return cds::hooks::RunCli(argc, argv); }
