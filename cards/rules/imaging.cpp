// imaging. Source: guideline summary in ../shared/clinical/rules.md (confirm with ultrasound, which has
// good accuracy for the tear type, or MRI). Value sets: achilles-tendinopathy, ankle-imaging.
#include "cards/rules/imaging.h"

#include "cards/detail.h"

namespace cds::cards {
namespace {

struct Settings {
  CardSettings card;
  Indicator indicator = Indicator::kInfo;
  ProposalSettings ultrasound;
};

bool Unconfirmed(const ConditionFact& c) {
  return c.verification_status == "provisional" || c.verification_status == "differential" ||
         c.verification_status == "unconfirmed";
}

class Imaging final : public Rule {
 public:
  explicit Imaging(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kImaging; }
  DataNeeds needs(Hook) const override {
    return Need(DataKind::kConditions) | Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures);
  }

  FactNeeds facts() const override { return NeedFact(FactKind::kImagingCare); }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    std::vector<const ConditionFact*> unconfirmed;
    for (const ConditionFact& c : facts.conditions) {
      if (c.kind != ConditionKind::kTendinopathy || !c.counts) continue;
      if (Unconfirmed(c)) {
        unconfirmed.push_back(&c);
      } else if (trace != nullptr) {
        trace->Note("Condition/" + std::string(c.id) + " verificationStatus is " +
                    (c.verification_status.empty() ? std::string("absent") : std::string(c.verification_status)) +
                    ": not a provisional diagnosis");
      }
    }
    if (unconfirmed.empty()) {
      if (!facts.HasActive(ConditionKind::kTendinopathy))
        ExplainNoActive(facts, ConditionKind::kTendinopathy, "Achilles tendinopathy", trace);
      return std::nullopt;
    }
    if (const ConditionFact* rupture = facts.FirstActive(ConditionKind::kRupture)) {
      if (trace != nullptr)
        trace->Note("Condition/" + std::string(rupture->id) + " is a complete rupture: the rupture pathway applies");
      return std::nullopt;
    }
    if (const CareFact* done = facts.CareSince(CareKind::kImaging, std::nullopt)) {
      if (trace != nullptr)
        trace->Note("ultrasound or MRI already on record: " + Reference(done->type, done->id) + " (" +
                    Describe(done->evidence) + ")");
      return std::nullopt;
    }
    Card card = NewCard(id(), s_.card, s_.indicator);
    std::vector<std::string_view> ids;
    for (const ConditionFact* c : unconfirmed) {
      AppendCondition(card.detail, "Unconfirmed diagnosis", *c);
      card.detail.append("verificationStatus: ").append(c->verification_status).append("\n\n");
      if (!c->id.empty()) ids.push_back(c->id);
    }
    card.detail.append("No ultrasound or MRI of the ankle is on record.\n\n");
    card.suggestions.push_back(CreateSuggestion(s_.ultrasound, facts, std::move(ids), true));
    card.selection = SelectionBehavior::kAtMostOne;
    if (trace != nullptr) trace->Note("fired: provisional Achilles tendinopathy and no imaging on record");
    return card;
  }

 private:
  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateImagingRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kImaging, cards);
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader suggestions = r.Object("suggestions");
  s.ultrasound = ProposalSettings::Read(suggestions.Object("ultrasound"));
  suggestions.Finish();
  return std::make_unique<Imaging>(std::move(s));
}

}  // namespace cds::cards
