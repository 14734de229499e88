// Random (version 4) UUIDs for cards and suggestions (CDS Hooks: each card has a fresh uuid so feedback
// can name it). One generator per thread: no locks on the request path.
#pragma once

#include <string>
#include <string_view>

namespace cds::hooks {

// Writes a lower-case RFC 4122 version-4 UUID (36 characters) into `out`.
void NewUuid(char (&out)[36]);
std::string NewUuid();
// True for the 8-4-4-4-12 hexadecimal form (any version, either case).
bool IsUuid(std::string_view s);

}  // namespace cds::hooks
