// immobilisation. Source: guideline summary in ../shared/clinical/rules.md ("avoid prolonged
// immobilisation": atrophy and deconditioning; Silbernagel 2007: continued loading has no negative effect).
// Only immobilisation of the tendinopathic tendon counts: a cast elsewhere (an arm cast), for the other leg,
// or for another indication (a fracture) is not this. Never when rupture is not excluded on that leg: a
// boot or cast in equinus is the right care for an acute injury or a rupture (UKSTAR, Lancet 2020).
// Value sets: immobilisation, immobilisation-other-indication, achilles-tendinopathy,
// achilles-acute-injury, achilles-rupture, physiotherapy.
#include "cards/rules/immobilisation.h"

#include "cards/concepts.h"
#include "cards/detail.h"

namespace cds::cards {
namespace {

const std::initializer_list<Slot> kSlots = {{"device", 40}, {"side", 10}};

struct Settings {
  CardSettings card;
  Indicator indicator = Indicator::kWarning;
  OrderSuggestionSettings remove;
  ProposalSettings heel_lift;
  ProposalSettings physiotherapy;
};

class Immobilisation final : public Rule {
 public:
  explicit Immobilisation(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kImmobilisation; }
  const CardSettings& card_settings() const override { return s_.card; }
  DataUse needs(Hook) const override {
    return {Need(DataKind::kConditions), Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures)};
  }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    std::vector<const OrderFact*> hits;
    const ConditionFact* tendinopathy = nullptr;
    bool any = false;
    for (const OrderFact& o : facts.orders) {
      if (!o.judged || !o.immobilisation) continue;
      any = true;
      if (const ConditionFact* t = ImmobilisedTendinopathy(o, facts, trace)) {
        hits.push_back(&o);
        if (tendinopathy == nullptr) tendinopathy = t;
      }
    }
    if (!any) {
      if (trace != nullptr) trace->Note("no cast or walking boot among the orders under review");
      return std::nullopt;
    }
    if (hits.empty()) return std::nullopt;

    Card card = NewCard(id(), s_.card, s_.indicator);
    const OrderFact& first = *hits.front();
    const Side side = first.side != Side::kUnknown ? first.side : tendinopathy->side;
    card.summary = FillTemplate(s_.card.summary, {{"device", Shorten(OrderName(first), 40)},
                                                  {"side", SidePrefix(side, false)}});
    std::string& d = card.detail;
    for (const OrderFact* o : hits) card.evidence.push_back(*o->immobilisation);
    AppendOrderNames(d, hits);
    d.append(" ordered for ").append(ConditionWords(*tendinopathy, false));
    const std::string ago = Ago(tendinopathy->onset, facts.today);
    if (!ago.empty()) d.append(" (onset ").append(ago).append(")");
    d.append(".\n\n");
    AppendAction(d, s_.card.action, s_.card.points);
    const std::vector<const ConditionFact*> all = Active(facts, ConditionKind::kTendinopathy);
    AppendBasedOn(d, all);
    for (const ConditionFact* c : all) card.evidence.push_back(c->evidence);
    for (const OrderFact* o : hits) {
      if (auto sg = DeleteSuggestion(s_.remove, *o)) card.suggestions.push_back(std::move(*sg));
    }
    const std::vector<std::string_view> reasons = facts.ActiveIds(ConditionKind::kTendinopathy);
    card.suggestions.push_back(CreateSuggestion(s_.heel_lift, facts, reasons, true));
    if (facts.PhysiotherapySinceOnset() == nullptr)
      card.suggestions.push_back(CreateSuggestion(s_.physiotherapy, facts, reasons, true));
    AppendNotChecked(d, facts, needs(facts.hook).optional);
    card.selection = SelectionBehavior::kAny;
    if (trace != nullptr)
      trace->Note("fired: " + std::to_string(hits.size()) + " immobilising order(s) for Achilles tendinopathy");
    return card;
  }

 private:
  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateImmobilisationRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kImmobilisation, cards, kSlots);
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader suggestions = r.Object("suggestions");
  s.remove = OrderSuggestionSettings::Read(suggestions.Object("removeOrder"));
  s.heel_lift = ProposalSettings::Read(suggestions.Object("heelLift"));
  s.physiotherapy = ProposalSettings::Read(suggestions.Object("physiotherapyReferral"));
  suggestions.Finish();
  return std::make_unique<Immobilisation>(std::move(s));
}

}  // namespace cds::cards
