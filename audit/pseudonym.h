// Pseudonymous keys for the card log: HMAC-SHA256 of an identifier (patient, user, encounter) with a secret
// the site configures, so analysts can count distinct patients and link a card to its feedback without the
// log ever holding an identifier. The same id and secret always give the same key; without the secret
// the key cannot be turned back into the id, nor checked against a guessed one.
//
//   Pseudonymizer p(secret);             // 32 bytes or more
//   std::string key = p.Key("pat-123");  // 64 hex digits; "" for ""
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace cds::audit {

class Pseudonymizer {
 public:
  explicit Pseudonymizer(const std::string& secret);
  std::string Key(std::string_view id) const;  // thread-safe

 private:
  // HMAC keyed once: SHA-256 midstates after the key's inner and outer blocks, copied by each Key().
  struct Keyed;
  std::shared_ptr<const Keyed> keyed_;
};

// The secret: the file's contents (trimmed) when `file` is given; else $ACHILLES_AUDIT_KEY; else a secret
// generated once into `generated` (mode 0600) and read back on every later start, so keys stay stable —
// unless `generated` is empty (replicas sharing a database must share one configured secret).
// Throws fhir::ConfigError when the secret is shorter than 32 characters or the file cannot be read or made.
std::string LoadOrCreateSecret(const std::string& file, const std::string& generated);

}  // namespace cds::audit
