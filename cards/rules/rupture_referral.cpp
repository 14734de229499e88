// rupture-referral: the rupture pathway of rules.md. A complete Achilles rupture gets no eccentric-loading
// prompt; it gets an orthopaedic referral when none (and no repair) is on record since it happened.
// Value sets: achilles-rupture, orthopaedic-referral.
#include "cards/rules/rupture_referral.h"

#include "cards/detail.h"

namespace cds::cards {
namespace {

struct Settings {
  CardSettings card;
  Indicator indicator = Indicator::kWarning;
  ProposalSettings orthopaedic;
};

class RuptureReferral final : public Rule {
 public:
  explicit RuptureReferral(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kRuptureReferral; }
  DataNeeds needs(Hook) const override {
    return Need(DataKind::kConditions) | Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures);
  }

  FactNeeds facts() const override { return NeedFact(FactKind::kOrthopaedicCare); }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    std::optional<fhir::Date> onset;
    for (const ConditionFact& c : facts.conditions) {
      if (c.kind == ConditionKind::kRupture && c.counts && c.onset && (!onset || c.onset->earliest < *onset))
        onset = c.onset->earliest;
    }
    const ConditionFact* rupture = facts.FirstActive(ConditionKind::kRupture);
    if (rupture == nullptr) {
      ExplainNoActive(facts, ConditionKind::kRupture, "Achilles rupture", trace);
      return std::nullopt;
    }
    if (const CareFact* care = facts.CareSince(CareKind::kOrthopaedic, onset)) {
      if (trace != nullptr) {
        trace->Note("an orthopaedic referral or repair is on record: " + Reference(care->type, care->id) + " (" +
                    Describe(care->evidence) + ")");
      }
      return std::nullopt;
    }
    Card card = NewCard(id(), s_.card, s_.indicator);
    for (const ConditionFact& c : facts.conditions) {
      if (c.kind == ConditionKind::kRupture && c.counts) AppendCondition(card.detail, "Achilles tendon rupture", c);
    }
    card.detail.append("No orthopaedic referral or Achilles repair is on record")
        .append(onset ? " since onset" : "")
        .append(".\n\n");
    card.suggestions.push_back(CreateSuggestion(s_.orthopaedic, facts, facts.ActiveIds(ConditionKind::kRupture), true));
    card.selection = SelectionBehavior::kAtMostOne;
    if (trace != nullptr) trace->Note("fired: Achilles rupture without an orthopaedic referral on record");
    return card;
  }

 private:
  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateRuptureReferralRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kRuptureReferral, cards);
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader suggestions = r.Object("suggestions");
  s.orthopaedic = ProposalSettings::Read(suggestions.Object("orthopaedicReferral"));
  suggestions.Finish();
  return std::make_unique<RuptureReferral>(std::move(s));
}

}  // namespace cds::cards
