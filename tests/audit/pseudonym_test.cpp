// audit/pseudonym.cpp: keys are HMAC-SHA256 (RFC 4231's vector), stable for one secret and unrelated across
// secrets; the secret comes from a file, the environment, or is generated once (0600) and then reused.
#include "audit/pseudonym.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

#include "fhir/result.h"
#include "tests/support/files.h"

namespace cds::audit {
namespace {

TEST(Pseudonym, KeysAreHmacSha256StableAndSecretBound) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(Pseudonymizer("Jefe").Key("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const Pseudonymizer a(std::string(32, 'a')), b(std::string(32, 'b'));
  EXPECT_EQ(a.Key("pat-1"), a.Key("pat-1"));
  EXPECT_NE(a.Key("pat-1"), a.Key("pat-2"));
  EXPECT_NE(a.Key("pat-1"), b.Key("pat-1"));
  EXPECT_EQ(a.Key(""), "");  // no id, no key (not the key of the empty string)
}

TEST(Pseudonym, TheSecretIsReadOrGeneratedOnceAndKept) {
  test::TempDir dir;
  ::unsetenv("ACHILLES_AUDIT_KEY");
  const std::string generated = dir.Join("pseudonym.key");
  const std::string first = LoadOrCreateSecret("", generated);
  EXPECT_EQ(first.size(), 64u);
  struct stat st {};
  ASSERT_EQ(::stat(generated.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(LoadOrCreateSecret("", generated), first);  // the next start reads it back

  test::WriteFile(dir.Join("site.key"), std::string(40, 'k') + "\n");
  EXPECT_EQ(LoadOrCreateSecret(dir.Join("site.key"), generated), std::string(40, 'k'));
  ::setenv("ACHILLES_AUDIT_KEY", std::string(33, 'e').c_str(), 1);
  EXPECT_EQ(LoadOrCreateSecret("", generated), std::string(33, 'e'));
  ::setenv("ACHILLES_AUDIT_KEY", "short", 1);
  EXPECT_THROW(LoadOrCreateSecret("", generated), fhir::ConfigError);
  ::unsetenv("ACHILLES_AUDIT_KEY");
  test::WriteFile(dir.Join("short.key"), "tooshort");
  EXPECT_THROW(LoadOrCreateSecret(dir.Join("short.key"), generated), fhir::ConfigError);
  EXPECT_THROW(LoadOrCreateSecret(dir.Join("missing.key"), generated), fhir::ConfigError);
  EXPECT_THROW(LoadOrCreateSecret("", dir.Join("no-such-dir/pseudonym.key")), fhir::ConfigError);
  EXPECT_THROW(LoadOrCreateSecret("", ""), fhir::ConfigError);  // a shared store: never generated per replica
}

}  // namespace
}  // namespace cds::audit
