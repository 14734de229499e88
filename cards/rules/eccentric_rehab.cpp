// eccentric-rehab. Source: guideline summary in ../shared/clinical/rules.md (conservative care first:
// eccentric loading for 6–8 weeks before escalating). Value sets: achilles-tendinopathy, achilles-rupture,
// physiotherapy.
#include "cards/rules/eccentric_rehab.h"

#include "cards/detail.h"

namespace cds::cards {
namespace {

struct Settings {
  CardSettings card;
  Indicator indicator = Indicator::kInfo;
  ProposalSettings physiotherapy;
};

class EccentricRehab final : public Rule {
 public:
  explicit EccentricRehab(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kEccentricRehab; }
  DataNeeds needs(Hook) const override {
    return Need(DataKind::kConditions) | Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures);
  }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    if (!facts.HasActive(ConditionKind::kTendinopathy)) {
      ExplainNoActive(facts, ConditionKind::kTendinopathy, "Achilles tendinopathy", trace);
      return std::nullopt;
    }
    if (const ConditionFact* rupture = facts.FirstActive(ConditionKind::kRupture)) {
      if (trace != nullptr) {
        trace->Note("Condition/" + std::string(rupture->id) + " is a complete rupture (" + Describe(rupture->evidence) +
                    "): the rupture pathway applies, not eccentric loading");
      }
      return std::nullopt;
    }
    if (const CareFact* care = facts.PhysiotherapySinceOnset()) {
      if (trace != nullptr) {
        trace->Note(
            std::string(care->drafted ? "physiotherapy is being ordered now: " : "physiotherapy already on record: ") +
            Reference(care->type, care->id) + " (" + Describe(care->evidence) + ")");
      }
      return std::nullopt;
    }

    Card card = NewCard(id(), s_.card, s_.indicator);
    std::string& d = card.detail;
    d.reserve(256);
    for (const ConditionFact& c : facts.conditions) {
      if (c.kind == ConditionKind::kTendinopathy && c.counts) AppendCondition(d, "Diagnosis", c);
    }
    d.append("No physiotherapy referral or exercise therapy is on record");
    d.append(facts.TendinopathyOnset() ? " since onset" : "").append(".\n\n");

    card.suggestions.push_back(
        CreateSuggestion(s_.physiotherapy, facts, facts.ActiveIds(ConditionKind::kTendinopathy), true));
    card.selection = SelectionBehavior::kAtMostOne;
    if (trace != nullptr) trace->Note("fired: active Achilles tendinopathy and no physiotherapy since onset");
    return card;
  }

 private:
  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateEccentricRehabRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kEccentricRehab, cards);
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader suggestions = r.Object("suggestions");
  s.physiotherapy = ProposalSettings::Read(suggestions.Object("physiotherapyReferral"));
  suggestions.Finish();
  return std::make_unique<EccentricRehab>(std::move(s));
}

}  // namespace cds::cards
