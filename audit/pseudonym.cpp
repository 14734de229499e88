// HMAC-SHA256 with OpenSSL; the secret's provenance (file, environment, generated once).
#include "audit/pseudonym.h"

// SHA256_Init/Update/Final are deprecated in OpenSSL 3.0 in favour of EVP, whose contexts cannot be
// copied without allocating; they remain part of libcrypto's API.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fhir/result.h"

namespace cds::audit {
namespace {

constexpr std::size_t kMinSecret = 32;

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string Checked(std::string secret, const std::string& where) {
  if (secret.size() < kMinSecret) {
    throw fhir::ConfigError(where, "", "the pseudonym secret must be at least " + std::to_string(kMinSecret) +
                                           " characters (openssl rand -hex 32)");
  }
  return secret;
}

}  // namespace

// HMAC (RFC 2104) over SHA-256 with the key's inner and outer blocks absorbed once: each Key() copies the
// two midstates (plain structs) and hashes only the id, instead of duplicating an OpenSSL MAC context (a
// dozen allocations) per key — a key is made three or four times per call answered.
struct Pseudonymizer::Keyed {
  SHA256_CTX inner, outer;
};

Pseudonymizer::Pseudonymizer(const std::string& secret) {
  unsigned char block[SHA256_CBLOCK] = {};
  if (secret.size() > SHA256_CBLOCK) {
    SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), block);
  } else {
    std::memcpy(block, secret.data(), secret.size());
  }
  auto keyed = std::make_shared<Keyed>();
  unsigned char pad[SHA256_CBLOCK];
  for (std::size_t i = 0; i < SHA256_CBLOCK; ++i) pad[i] = block[i] ^ 0x36;
  bool ok = SHA256_Init(&keyed->inner) == 1 && SHA256_Update(&keyed->inner, pad, sizeof pad) == 1;
  for (std::size_t i = 0; i < SHA256_CBLOCK; ++i) pad[i] = block[i] ^ 0x5c;
  ok = ok && SHA256_Init(&keyed->outer) == 1 && SHA256_Update(&keyed->outer, pad, sizeof pad) == 1;
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(pad, sizeof pad);
  if (!ok) throw fhir::ConfigError("audit", "", "OpenSSL cannot make an HMAC-SHA256 key");
  keyed_ = std::move(keyed);
}

std::string Pseudonymizer::Key(std::string_view id) const {
  if (id.empty()) return {};
  unsigned char mac[SHA256_DIGEST_LENGTH];
  SHA256_CTX ctx = keyed_->inner;
  bool ok = SHA256_Update(&ctx, id.data(), id.size()) == 1 && SHA256_Final(mac, &ctx) == 1;
  ctx = keyed_->outer;
  ok = ok && SHA256_Update(&ctx, mac, sizeof mac) == 1 && SHA256_Final(mac, &ctx) == 1;
  if (!ok) throw std::runtime_error("HMAC-SHA256 failed");  // our bug or OpenSSL's: never silently unkeyed
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * sizeof mac, '0');
  for (std::size_t i = 0; i < sizeof mac; ++i) {
    out[2 * i] = kHex[mac[i] >> 4];
    out[2 * i + 1] = kHex[mac[i] & 15];
  }
  return out;
}

std::string LoadOrCreateSecret(const std::string& file, const std::string& generated) {
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw fhir::ConfigError(path, "", "cannot read the pseudonym secret");
    std::ostringstream ss;
    ss << in.rdbuf();
    return Trimmed(ss.str());
  };
  if (!file.empty()) return Checked(read(file), file);
  if (const char* env = std::getenv("ACHILLES_AUDIT_KEY"); env != nullptr && *env != '\0') {
    return Checked(Trimmed(env), "$ACHILLES_AUDIT_KEY");
  }
  if (generated.empty()) {
    throw fhir::ConfigError("audit.pseudonymKeyFile", "",
                            "replicas sharing a database must share one pseudonym secret: set pseudonymKeyFile "
                            "or $ACHILLES_AUDIT_KEY (a secret generated per replica would give each its own keys)");
  }
  std::error_code ec;
  if (std::filesystem::exists(generated, ec)) return Checked(read(generated), generated);
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw fhir::ConfigError(generated, "", "no randomness for a secret");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string secret;
  for (unsigned char b : bytes) secret += kHex[b >> 4], secret += kHex[b & 15];
  // O_EXCL: two processes starting at once on one data folder do not overwrite each other's secret.
  const int fd = ::open(generated.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Checked(read(generated), generated);
    throw fhir::ConfigError(generated, "", "cannot create the pseudonym secret file");
  }
  const std::string line = secret + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw fhir::ConfigError(generated, "", "cannot write the pseudonym secret file");
  return secret;
}

}  // namespace cds::audit
