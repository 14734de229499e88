// hooks/discovery.cpp: GET /cds-services lists every service in catalog order with prefetch templates
// derived from the rules it runs; every advertised id is routed.
#include "hooks/discovery.h"

#include <gtest/gtest.h>

#include <regex>

#include "fhir/json_document.h"
#include "tests/support/json.h"
#include "tests/support/requests.h"
#include "tests/support/service_calls.h"

namespace cds::hooks {
namespace {

using namespace cds::test;

TEST(Discovery, ListsTheCatalogWithHooksAndPrefetch) {
  const std::string doc = DiscoveryDocument(ShippedEngine());
  rapidjson::Document d = Json(doc);
  ASSERT_FALSE(d.HasParseError());
  const auto& services = d["services"];
  ASSERT_EQ(services.Size(), 3u);
  EXPECT_STREQ(services[0]["id"].GetString(), "achilles-patient-view");
  EXPECT_STREQ(services[0]["hook"].GetString(), "patient-view");
  EXPECT_STREQ(services[1]["hook"].GetString(), "order-select");
  EXPECT_STREQ(services[2]["hook"].GetString(), "order-sign");
  for (const auto& s : services.GetArray()) {
    EXPECT_TRUE(s["title"].IsString());
    EXPECT_TRUE(s["description"].IsString());
    EXPECT_STREQ(s["prefetch"]["conditions"].GetString(), "Condition?patient={{context.patientId}}");
  }
}

// Prefetch tokens: only {{context.X}} for a root primitive context field of the hook, or the user tokens.
TEST(Discovery, PrefetchTokensAreAllowedForTheHook) {
  const std::regex token(R"(\{\{([^}]*)\}\})");
  for (const cards::Service& s : ShippedEngine().services()) {
    for (const cards::DataSpec& spec : cards::DataSpecs()) {
      if (!cards::Needs(s.needs, spec.kind)) continue;
      const std::string q(spec.query_template);
      for (auto it = std::sregex_iterator(q.begin(), q.end(), token); it != std::sregex_iterator(); ++it) {
        const std::string name = (*it)[1];
        EXPECT_TRUE(name == "context.patientId" || name == "context.userId" || name == "context.encounterId" ||
                    name == "userPractitionerId" || name == "userPractitionerRoleId")
            << name << " in " << s.definition->id;
      }
    }
  }
}

TEST(Discovery, EveryAdvertisedServiceIsRouted) {
  for (const cards::Service& s : ShippedEngine().services()) {
    const std::string body =
        s.definition->hook == cards::Hook::kPatientView ? PatientView(Prefetch{})
        : s.definition->hook == cards::Hook::kOrderSign
            ? OrderSign({ServiceRequest("a", Concept({}, "x"))}, Prefetch{})
            : OrderSelect({ServiceRequest("a", Concept({}, "x"))}, {"ServiceRequest/a"}, Prefetch{});
    EXPECT_EQ(CallService(std::string(s.definition->id), body).status, 200) << s.definition->id;
  }
}

}  // namespace
}  // namespace cds::hooks
