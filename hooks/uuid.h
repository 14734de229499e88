// Random (version 4) and time-ordered (version 7) UUIDs for suggestions and cards (CDS Hooks: each card has a fresh uuid so feedback
// can name it). One generator per thread: no locks on the request path.
#pragma once

#include <string>
#include <string_view>

namespace cds::hooks {

// Writes a lower-case RFC 4122 version-4 UUID (36 characters) into `out`.
void NewUuid(char (&out)[36]);
std::string NewUuid();
// A version-7 UUID (RFC 9562): the Unix time in milliseconds, then 74 random bits. Cards get these, so the
// card log's primary key grows at its end instead of touching a random page of its index for every card.
void NewTimeOrderedUuid(char (&out)[36]);
std::string NewTimeOrderedUuid();
// True for the 8-4-4-4-12 hexadecimal form (any version, either case).
bool IsUuid(std::string_view s);

}  // namespace cds::hooks
