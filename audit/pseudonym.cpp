// HMAC-SHA256 with OpenSSL; the secret's provenance (file, environment, generated once).
#include "audit/pseudonym.h"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
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

struct Pseudonymizer::Keyed {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* ctx = nullptr;
  ~Keyed() {
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
  }
};

Pseudonymizer::Pseudonymizer(const std::string& secret) {
  auto keyed = std::make_shared<Keyed>();
  keyed->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  keyed->ctx = keyed->mac != nullptr ? EVP_MAC_CTX_new(keyed->mac) : nullptr;
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_END};
  if (keyed->ctx == nullptr ||
      EVP_MAC_init(keyed->ctx, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), params) != 1) {
    throw fhir::ConfigError("audit", "", "OpenSSL cannot make an HMAC-SHA256 key");
  }
  keyed_ = std::move(keyed);
}

std::string Pseudonymizer::Key(std::string_view id) const {
  if (id.empty()) return {};
  unsigned char mac[32];
  std::size_t len = 0;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(keyed_->ctx);
  const bool ok = ctx != nullptr && EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(id.data()), id.size()) == 1 &&
                  EVP_MAC_final(ctx, mac, &len, sizeof mac) == 1;
  EVP_MAC_CTX_free(ctx);
  if (!ok) throw std::runtime_error("HMAC-SHA256 failed");  // our bug or OpenSSL's: never silently unkeyed
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * len, '0');
  for (std::size_t i = 0; i < len; ++i) {
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
