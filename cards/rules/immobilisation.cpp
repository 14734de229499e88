// immobilisation. Source: guideline summary in ../shared/clinical/rules.md ("avoid prolonged
// immobilisation": atrophy and deconditioning). Value sets: immobilisation (CPT 29405/29425, HCPCS
// L4360/L4361/L4386/L4387, names), achilles-tendinopathy, achilles-rupture, physiotherapy.
#include "cards/rules/immobilisation.h"

#include "cards/detail.h"

namespace cds::cards {
namespace {

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
  DataNeeds needs(Hook) const override {
    return Need(DataKind::kConditions) | Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures);
  }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    std::vector<const OrderFact*> hits;
    for (const OrderFact& o : facts.orders) {
      if (o.judged && o.immobilisation) hits.push_back(&o);
    }
    if (hits.empty()) {
      if (trace != nullptr) trace->Note("no cast or walking boot among the orders under review");
      return std::nullopt;
    }
    // A complete rupture is often treated in a boot or cast: that is the rupture pathway, not this warning.
    if (const ConditionFact* rupture = facts.FirstActive(ConditionKind::kRupture)) {
      if (trace != nullptr) {
        trace->Note("Condition/" + std::string(rupture->id) +
                    " is a complete rupture: immobilisation belongs to the rupture pathway");
      }
      return std::nullopt;
    }
    const ConditionFact* tendinopathy = facts.FirstActive(ConditionKind::kTendinopathy);
    if (tendinopathy == nullptr) {
      ExplainNoActive(facts, ConditionKind::kTendinopathy, "Achilles tendinopathy", trace);
      return std::nullopt;
    }

    Card card = NewCard(id(), s_.card, s_.indicator);
    std::string& d = card.detail;
    for (const OrderFact* o : hits) {
      AppendOrder(d, "Draft order", *o);
      AppendEvidence(d, "Immobilisation", *o->immobilisation);
      d.append("\n");
    }
    AppendCondition(d, "Diagnosis", *tendinopathy);
    for (const OrderFact* o : hits) {
      if (auto sg = DeleteSuggestion(s_.remove, *o)) card.suggestions.push_back(std::move(*sg));
    }
    const std::vector<std::string_view> reasons = facts.ActiveIds(ConditionKind::kTendinopathy);
    card.suggestions.push_back(CreateSuggestion(s_.heel_lift, facts, reasons, true));
    if (facts.PhysiotherapySinceOnset() == nullptr)
      card.suggestions.push_back(CreateSuggestion(s_.physiotherapy, facts, reasons, true));
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
  s.card = CardSettings::Read(r.Object("card"), RuleId::kImmobilisation, cards);
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader suggestions = r.Object("suggestions");
  s.remove = OrderSuggestionSettings::Read(suggestions.Object("removeOrder"));
  s.heel_lift = ProposalSettings::Read(suggestions.Object("heelLift"));
  s.physiotherapy = ProposalSettings::Read(suggestions.Object("physiotherapyReferral"));
  suggestions.Finish();
  return std::make_unique<Immobilisation>(std::move(s));
}

}  // namespace cds::cards
