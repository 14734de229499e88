// cards/catalog.cpp and the rule registry: ids unique, hooks valid, each service's rules allowed on its
// hook, every rule registered once with a stable id.
#include "cards/catalog.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "cards/rule.h"

namespace cds::cards {
namespace {

TEST(Catalog, ServiceIdsAreUniqueAndFound) {
  std::set<std::string_view> ids;
  for (const ServiceDefinition* s : Catalog()) {
    EXPECT_TRUE(ids.insert(s->id).second) << s->id;
    EXPECT_EQ(FindServiceDefinition(s->id), s);
    EXPECT_FALSE(s->title.empty());
    EXPECT_FALSE(s->description.empty());
  }
  EXPECT_EQ(FindServiceDefinition("nope"), nullptr);
}

TEST(Catalog, EachServiceAnswersTheHookItsIdSays) {
  EXPECT_EQ(FindServiceDefinition("achilles-patient-view")->hook, Hook::kPatientView);
  EXPECT_EQ(FindServiceDefinition("achilles-order-select")->hook, Hook::kOrderSelect);
  EXPECT_EQ(FindServiceDefinition("achilles-order-sign")->hook, Hook::kOrderSign);
}

TEST(Catalog, EveryRuleInAServiceTableMayFireOnThatHook) {
  for (const ServiceDefinition* s : Catalog()) {
    for (const RuleEntry& entry : s->rules) {
      const RuleSpec& spec = SpecFor(entry.rule);
      EXPECT_EQ(spec.id, entry.rule);
      EXPECT_NE(std::find(spec.hooks.begin(), spec.hooks.end(), s->hook), spec.hooks.end())
          << RuleIdName(entry.rule) << " in " << s->id;
      for (RuleId earlier : entry.yields_to) {
        // A rule can only yield to one that runs before it in the same table.
        auto pos =
            std::find_if(s->rules.begin(), s->rules.end(), [&](const RuleEntry& e) { return e.rule == earlier; });
        EXPECT_TRUE(pos != s->rules.end() && pos < s->rules.begin() + (&entry - s->rules.data())) << s->id;
      }
    }
  }
}

TEST(RuleRegistry, EveryRuleIdIsRegisteredOnceAndRoundTrips) {
  std::set<RuleId> seen;
  for (const RuleSpec& spec : RuleSpecs()) EXPECT_TRUE(seen.insert(spec.id).second);
  for (RuleId id : kAllRules) {
    EXPECT_TRUE(seen.count(id)) << RuleIdName(id);
    EXPECT_EQ(ParseRuleId(RuleIdName(id)), id);
  }
  EXPECT_EQ(ParseRuleId("nope"), std::nullopt);
  EXPECT_EQ(RuleIdName(RuleId::kSteroidInjection), "steroid-injection");
  EXPECT_EQ(RuleIdName(RuleId::kEccentricRehab), "eccentric-rehab");
}

TEST(Hooks, NamesRoundTrip) {
  for (Hook h : {Hook::kPatientView, Hook::kOrderSelect, Hook::kOrderSign}) EXPECT_EQ(ParseHook(HookName(h)), h);
  EXPECT_EQ(ParseHook("order-dispatch"), std::nullopt);
}

}  // namespace
}  // namespace cds::cards
