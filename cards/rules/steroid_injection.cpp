// steroid-injection. Source: guideline summary in ../shared/clinical/rules.md ("never inject corticosteroid
// into the tendon": rupture risk). Value sets: corticosteroid, corticosteroid-injectable, route-*,
// achilles-site, injection-site-elsewhere, tendon-injection-procedure.
#include "cards/rules/steroid_injection.h"

#include "cards/detail.h"

namespace cds::cards {
namespace {

struct Settings {
  CardSettings card;
  Indicator site_achilles = Indicator::kCritical;
  Indicator site_not_stated = Indicator::kWarning;
  OrderSuggestionSettings remove;
  ProposalSettings physiotherapy;
};

struct Hit {
  const OrderFact* order;
  Indicator indicator;
};

std::string RouteWords(RouteClass r) {
  switch (r) {
    case RouteClass::kOral: return "an oral form";
    case RouteClass::kTopical: return "a topical form";
    case RouteClass::kSystemicInjection: return "a systemic (intramuscular/intravenous/subcutaneous) injection";
    case RouteClass::kLocalInjection: return "a local injection";
    case RouteClass::kInjection: return "an injection";
    case RouteClass::kUnknown: return "route not stated";
  }
  return "";
}

class SteroidInjection final : public Rule {
 public:
  explicit SteroidInjection(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kSteroidInjection; }
  DataNeeds needs(Hook) const override {
    return Need(DataKind::kConditions) | Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures);
  }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    // rules.md: the unstated-site warning needs Achilles tendinopathy; a rupture keeps the steroid warnings
    // too (rupture pathway), so either condition counts.
    const ConditionFact* diagnosis = facts.FirstActive(ConditionKind::kTendinopathy);
    if (diagnosis == nullptr) diagnosis = facts.FirstActive(ConditionKind::kRupture);
    std::vector<Hit> hits;
    for (const OrderFact& o : facts.orders) {
      if (!o.judged) continue;
      if (auto indicator = Judge(o, diagnosis != nullptr, trace)) hits.push_back(Hit{&o, *indicator});
    }
    if (hits.empty()) {
      if (trace != nullptr && trace->lines().empty())
        trace->Note("no draft order under review is a corticosteroid or tendon injection");
      return std::nullopt;
    }

    Indicator indicator = Indicator::kInfo;
    for (const Hit& h : hits) indicator = std::max(indicator, h.indicator);
    Card card = NewCard(id(), s_.card, indicator);
    std::string& d = card.detail;
    d.reserve(512);
    for (const Hit& h : hits) {
      const OrderFact& o = *h.order;
      AppendOrder(d, "Draft order", o);
      if (o.corticosteroid) AppendEvidence(d, "Corticosteroid", *o.corticosteroid);
      if (o.tendon_injection) AppendEvidence(d, "Tendon injection", *o.tendon_injection);
      if (o.route_evidence && !o.tendon_injection) AppendEvidence(d, "Route", *o.route_evidence);
      if (o.site == SiteClass::kAchilles) {
        AppendEvidence(d, "Site", *o.site_evidence);
      } else {
        d.append(diagnosis->kind == ConditionKind::kRupture
                     ? "- Site: not stated, and the patient has an Achilles tendon rupture: "
                     : "- Site: not stated, and the patient has active Achilles tendinopathy: ");
        AppendCited(d, diagnosis->label, "Condition", diagnosis->id, diagnosis->evidence);
        d.append("\n");
      }
      d.append("\n");
    }

    for (const Hit& h : hits) {
      if (auto sg = DeleteSuggestion(s_.remove, *h.order)) card.suggestions.push_back(std::move(*sg));
    }
    if (facts.PhysiotherapySinceOnset() == nullptr) {
      card.suggestions.push_back(
          CreateSuggestion(s_.physiotherapy, facts, facts.ActiveIds(ConditionKind::kTendinopathy), true));
    }
    card.selection = SelectionBehavior::kAny;  // remove the injection and order the referral: both apply
    if (trace != nullptr)
      trace->Note("fired: " + std::to_string(hits.size()) + " order(s), indicator " +
                  std::string(IndicatorName(indicator)));
    return card;
  }

 private:
  // The indicator this order earns, or nullopt (with the reason in the trace).
  std::optional<Indicator> Judge(const OrderFact& o, bool has_diagnosis, Trace* trace) const {
    // The reason is a callable, built only when someone is asking (explain).
    auto why_not = [&](auto reason) -> std::optional<Indicator> {
      if (trace != nullptr) trace->Note(Reference(o.type, o.id) + " (" + std::string(o.label) + "): " + reason());
      return std::nullopt;
    };
    if (!o.corticosteroid && !o.tendon_injection) return std::nullopt;
    if (o.route == RouteClass::kOral || o.route == RouteClass::kTopical) {
      return why_not([&] { return "corticosteroid in " + RouteWords(o.route) + ", not an injection"; });
    }
    if (o.site == SiteClass::kElsewhere)
      return why_not([&] { return "injection site is elsewhere: " + Describe(*o.site_evidence); });
    if (o.site == SiteClass::kAchilles) return s_.site_achilles;
    // Site not stated: only a local injection in a patient with tendinopathy, and only when the order is
    // recognisably an injection (rules.md: no card when the rule would only guess).
    if (o.route == RouteClass::kSystemicInjection)
      return why_not([&] { return "site not stated and the route is " + RouteWords(o.route); });
    if (o.route == RouteClass::kUnknown)
      return why_not([] { return std::string("site not stated and nothing says it is an injection"); });
    if (!has_diagnosis)
      return why_not([] {
        return std::string("injection site not stated and no active Achilles tendinopathy or rupture on record");
      });
    return s_.site_not_stated;
  }

  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateSteroidInjectionRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kSteroidInjection, cards);
  ConfigReader indicators = r.Object("indicators");
  s.site_achilles = indicators.IndicatorValue("siteAchilles");
  s.site_not_stated = indicators.IndicatorValue("siteNotStated");
  indicators.Finish();
  ConfigReader suggestions = r.Object("suggestions");
  s.remove = OrderSuggestionSettings::Read(suggestions.Object("removeOrder"));
  s.physiotherapy = ProposalSettings::Read(suggestions.Object("physiotherapyReferral"));
  suggestions.Finish();
  return std::make_unique<SteroidInjection>(std::move(s));
}

}  // namespace cds::cards
