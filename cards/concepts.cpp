// The judgements shared by the steroid-injection and immobilisation rules and the population audit.
#include "cards/concepts.h"

#include <string>

#include "cards/detail.h"

namespace cds::cards {

InjectionVerdict JudgeSteroidInjection(const OrderFact& o) {
  if (!o.corticosteroid && !o.tendon_injection) return InjectionVerdict::kNotAnInjection;
  if (o.route == RouteClass::kOral || o.route == RouteClass::kTopical) return InjectionVerdict::kOralOrTopical;
  if (o.site == SiteClass::kElsewhere) return InjectionVerdict::kElsewhere;
  if (o.site == SiteClass::kAchilles) return InjectionVerdict::kAtAchilles;
  // Site not stated (or the ankle without a structure): only a recognisable local injection (rules.md: no
  // card when the rule would only guess).
  if (o.route == RouteClass::kSystemicInjection) return InjectionVerdict::kSystemicSiteNotStated;
  if (o.route == RouteClass::kUnknown) return InjectionVerdict::kNotRecognisably;
  return InjectionVerdict::kSiteNotStated;
}

const ConditionFact* ImmobilisedTendinopathy(const OrderFact& o, const Facts& facts, Trace* trace) {
  auto why_not = [&](const std::string& reason) -> const ConditionFact* {
    if (trace != nullptr) trace->Note(Reference(o.type, o.id) + " (" + std::string(o.label) + "): " + reason);
    return nullptr;
  };
  if (!o.immobilisation) return why_not("not a cast or walking boot");
  if (o.site == SiteClass::kElsewhere) return why_not("immobilises another part: " + Describe(*o.site_evidence));
  if (o.reason == ReasonClass::kInjury)
    return why_not("ordered for an Achilles injury or rupture: immobilisation is that pathway's care");
  if (o.reason == ReasonClass::kOther) {
    return why_not("ordered for another indication" +
                   (o.reason_evidence ? " (" + Describe(*o.reason_evidence) + ")" : std::string()));
  }
  // Rupture not excluded on this leg (or a leg we cannot tell apart): immobilisation may be right.
  for (const ConditionFact& c : facts.conditions) {
    if ((c.kind == ConditionKind::kAcuteInjury || c.kind == ConditionKind::kRupture) && c.counts &&
        MaySameSide(c.side, o.side)) {
      return why_not("Condition/" + std::string(c.id) + " (" + std::string(c.label) +
                     ") may be a rupture on this leg: immobilisation belongs to that pathway");
    }
  }
  const ConditionFact* other_side = nullptr;
  for (const ConditionFact& c : facts.conditions) {
    if (c.kind != ConditionKind::kTendinopathy || !c.counts) continue;
    if (MaySameSide(c.side, o.side)) return &c;
    other_side = &c;
  }
  if (other_side != nullptr) {
    return why_not("for the " + std::string(SideWord(o.side)) + " leg; the tendinopathy is on the " +
                   std::string(SideWord(other_side->side)));
  }
  ExplainNoActive(facts, ConditionKind::kTendinopathy, "Achilles tendinopathy", trace);
  return nullptr;
}

}  // namespace cds::cards
