// rupture-referral: the rupture pathway of rules.md. A complete Achilles rupture gets no loading prompt; it
// gets an urgent orthopaedic assessment when none (and no repair) is on record since it happened. Sources:
// AAOS guideline on acute Achilles rupture (2009): the diagnosis is clinical; UKSTAR (Costa, Lancet 2020) and
// Ochen (BMJ 2019): non-operative functional treatment is an equal option to surgery; immobilise in equinus
// meanwhile. Value sets: achilles-rupture, orthopaedic-referral.
#include "cards/rules/rupture_referral.h"

#include "cards/detail.h"

namespace cds::cards {
namespace {

const std::initializer_list<Slot> kSlots = {{"side", 10}, {"Side", 10}};

struct Settings {
  CardSettings card;
  Indicator indicator = Indicator::kWarning;
  ProposalSettings orthopaedic;
};

class RuptureReferral final : public Rule {
 public:
  explicit RuptureReferral(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kRuptureReferral; }
  const CardSettings& card_settings() const override { return s_.card; }
  DataUse needs(Hook) const override {
    return {Need(DataKind::kConditions), Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures)};
  }

  FactNeeds facts() const override { return NeedFact(FactKind::kOrthopaedicCare); }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    const std::vector<const ConditionFact*> ruptures = Active(facts, ConditionKind::kRupture);
    if (ruptures.empty()) {
      ExplainNoActive(facts, ConditionKind::kRupture, "Achilles rupture", trace);
      return std::nullopt;
    }
    std::optional<fhir::Date> onset;
    for (const ConditionFact* c : ruptures) {
      if (c->onset && (!onset || c->onset->earliest < *onset)) onset = c->onset->earliest;
    }
    if (const CareFact* care = facts.CareSince(CareKind::kOrthopaedic, onset)) {
      if (trace != nullptr) {
        trace->Note("an orthopaedic referral or repair is on record: " + Reference(care->type, care->id) + " (" +
                    Describe(care->evidence) + ")");
      }
      return std::nullopt;
    }
    const ConditionFact& c = *ruptures.front();
    Card card = NewCard(id(), s_.card, s_.indicator);
    card.summary =
        FillTemplate(s_.card.summary, {{"side", SidePrefix(c.side, false)}, {"Side", SidePrefix(c.side, true)}});
    std::string& d = card.detail;
    d.append("**").append(ConditionWords(c, true)).append("**");
    const std::string ago = Ago(c.onset, facts.today);
    if (!ago.empty()) d.append(", onset ").append(ago);
    d.append("; no orthopaedic referral or repair on record.\n\n");
    AppendAction(d, s_.card.action, s_.card.points);
    AppendBasedOn(d, ruptures);
    for (const ConditionFact* r : ruptures) card.evidence.push_back(r->evidence);
    AppendNotChecked(d, facts, needs(facts.hook).optional);
    card.suggestions.push_back(CreateSuggestion(s_.orthopaedic, facts, facts.ActiveIds(ConditionKind::kRupture), true));
    card.selection = SelectionBehavior::kAny;
    if (trace != nullptr) trace->Note("fired: Achilles rupture without an orthopaedic referral on record");
    return card;
  }

 private:
  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateRuptureReferralRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kRuptureReferral, cards, kSlots);
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader suggestions = r.Object("suggestions");
  s.orthopaedic = ProposalSettings::Read(suggestions.Object("orthopaedicReferral"));
  suggestions.Finish();
  return std::make_unique<RuptureReferral>(std::move(s));
}

}  // namespace cds::cards
