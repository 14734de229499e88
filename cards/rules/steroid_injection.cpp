// steroid-injection. Source: guideline summary in ../shared/clinical/rules.md ("avoid corticosteroid
// injection into the tendon": rupture risk; Shrier 1996 Clin J Sport Med: no benefit, case reports of rupture
// after injection). Critical only where it is earned: the Achilles tendon (or its bursa) named as the site.
// The ankle without a named structure, or no site at all, is a warning when the patient has an Achilles
// tendon disorder; a named structure elsewhere (the ankle joint, the peroneal tendons, the knee) is nothing.
// Only injections count: oral, topical and iontophoresis forms do not. Value sets: corticosteroid,
// corticosteroid-injectable, route-*, achilles-site, ankle-region, injection-site-elsewhere,
// tendon-injection-procedure.
#include "cards/rules/steroid_injection.h"

#include <algorithm>

#include "cards/concepts.h"
#include "cards/detail.h"

namespace cds::cards {
namespace {

const std::initializer_list<Slot> kSlots = {{"drug", kMaxDrugName}, {"side", 10}};
constexpr std::size_t kShownOrders = 4;

struct Settings {
  CardSettings card;
  std::string site_not_stated_summary;
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
    case RouteClass::kTopical: return "a topical form (or iontophoresis)";
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
  const CardSettings& card_settings() const override { return s_.card; }
  // The draft orders are context; the problem list only turns an unstated site into a warning, and the
  // referrals only decide whether to offer physiotherapy: neither is needed for the critical card.
  DataUse needs(Hook) const override {
    return {0, Need(DataKind::kConditions) | Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures)};
  }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    // rules.md: the unstated-site warning needs an Achilles tendon disorder: tendinopathy, an acute injury or
    // a rupture (the injured tendon is at risk too).
    const ConditionFact* diagnosis = facts.ActiveTendonDisorder();
    std::vector<Hit> hits;
    for (const OrderFact& o : facts.orders) {
      if (!o.judged) continue;
      if (auto indicator = Judge(o, diagnosis != nullptr, facts, trace)) hits.push_back(Hit{&o, *indicator});
    }
    if (hits.empty()) {
      if (trace != nullptr && trace->lines().empty())
        trace->Note("no draft order under review is a corticosteroid or tendon injection");
      return std::nullopt;
    }

    Indicator indicator = Indicator::kInfo;
    for (const Hit& h : hits) indicator = std::max(indicator, h.indicator);
    Card card = NewCard(id(), s_.card, indicator);
    const OrderFact& first = *hits.front().order;
    const std::string drug =
        hits.size() == 1 ? Name(first) : std::string(first.corticosteroid ? "corticosteroid" : "tendon");
    const Side side = hits.size() == 1 ? first.side : Side::kUnknown;
    const bool at_achilles =
        std::any_of(hits.begin(), hits.end(), [](const Hit& h) { return h.order->site == SiteClass::kAchilles; });
    // The drug opens the site-not-stated summary, and sits mid-sentence in the other one.
    card.summary = Capitalised(FillTemplate(at_achilles ? s_.card.summary : s_.site_not_stated_summary,
                                            {{"drug", drug}, {"side", SidePrefix(side, false)}}));
    std::string& d = card.detail;
    d.reserve(512);
    for (std::size_t i = 0; i < hits.size(); ++i) {
      const OrderFact& o = *hits[i].order;
      for (const auto* e : {&o.corticosteroid, &o.tendon_injection, &o.route_evidence, &o.site_evidence}) {
        if (*e) card.evidence.push_back(**e);
      }
      if (i >= kShownOrders) continue;  // every order gets its delete suggestion; the text names a few
      d.append(hits.size() > 1 ? "- **" : "**");
      AppendText(d, OrderName(o));
      d.append(o.site == SiteClass::kUnstated ? "**, " : "** ").append(SiteWords(o)).append(hits.size() > 1 ? "\n" : ".\n\n");
    }
    if (hits.size() > kShownOrders) d.append("- +").append(std::to_string(hits.size() - kShownOrders)).append(" more\n");
    if (hits.size() > 1) d.append("\n");
    AppendAction(d, s_.card.action, s_.card.points);
    if (diagnosis != nullptr) {
      AppendBasedOn(d, {diagnosis});
      card.evidence.push_back(diagnosis->evidence);
    }
    AppendNotChecked(d, facts, Need(DataKind::kConditions));

    for (const Hit& h : hits) {
      if (auto sg = DeleteSuggestion(s_.remove, *h.order)) card.suggestions.push_back(std::move(*sg));
    }
    // A referral for loading exercise is the better order for tendinopathy, never for an injury in which
    // rupture is not excluded.
    if (facts.InjuryNotExcluded() == nullptr && facts.PhysiotherapySinceOnset() == nullptr) {
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
  std::string Name(const OrderFact& o) const {
    return o.corticosteroid ? DrugName(o, *o.corticosteroid->value_set, "corticosteroid") : std::string("tendon");
  }

  static std::string SiteWords(const OrderFact& o) {
    const std::string side = SidePrefix(o.side, false);
    switch (o.site) {
      case SiteClass::kAchilles: return "at the " + side + "Achilles tendon";
      case SiteClass::kAnkleRegion:
        return "at the " + side + "ankle, structure not stated: the Achilles tendon is not excluded";
      default: return "site not stated";
    }
  }

  // The indicator this order earns, or nullopt (with the reason in the trace).
  std::optional<Indicator> Judge(const OrderFact& o, bool has_diagnosis, const Facts& facts, Trace* trace) const {
    // The reason is a callable, built only when someone is asking (explain).
    auto why_not = [&](auto reason) -> std::optional<Indicator> {
      if (trace != nullptr) trace->Note(Reference(o.type, o.id) + " (" + std::string(o.label) + "): " + reason());
      return std::nullopt;
    };
    switch (JudgeSteroidInjection(o)) {
      case InjectionVerdict::kNotAnInjection: return std::nullopt;
      case InjectionVerdict::kOralOrTopical:
        return why_not([&] { return "corticosteroid in " + RouteWords(o.route) + ", not an injection"; });
      case InjectionVerdict::kElsewhere:
        return why_not([&] { return "injection site is elsewhere: " + Describe(*o.site_evidence); });
      case InjectionVerdict::kAtAchilles: return s_.site_achilles;
      case InjectionVerdict::kSystemicSiteNotStated:
        return why_not([&] { return "site not stated and the route is " + RouteWords(o.route); });
      case InjectionVerdict::kNotRecognisably:
        return why_not([] { return std::string("site not stated and nothing says it is an injection"); });
      case InjectionVerdict::kSiteNotStated: break;
    }
    if (!has_diagnosis) {
      return why_not([&] {
        return std::string(o.site == SiteClass::kAnkleRegion ? "injection at the ankle (no structure named)"
                                                             : "injection site not stated") +
               " and no active Achilles tendon disorder on record" +
               (facts.Unavailable(DataKind::kConditions) ? " (the EHR sent no conditions)" : "");
      });
    }
    return s_.site_not_stated;
  }

  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateSteroidInjectionRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  ConfigReader card = r.Object("card");
  s.site_not_stated_summary = ReadSummary(card, "siteNotStatedSummary", kSlots);
  s.card = CardSettings::Read(card, RuleId::kSteroidInjection, cards, kSlots);
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
