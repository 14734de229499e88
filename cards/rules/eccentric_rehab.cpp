// eccentric-rehab. Sources: guideline summary in ../shared/clinical/rules.md (conservative care first);
// JOSPT 2018 Achilles tendinopathy guideline (Martin et al., loading exercise, grade A per rules.md);
// Alfredson 1998 (Am J Sports Med: heavy-load eccentric heel drops, 3×15 twice daily for 12 weeks); Beyer
// 2015 (Am J Sports Med: heavy slow resistance as good as eccentric); Jonsson 2008 (Br J Sports Med:
// floor-level heel drops, no dorsiflexion, for insertional disease). Never for an acute injury or a rupture:
// rupture is not excluded there, and loading could complete a tear. On the order hooks (off by default:
// alert fatigue) it fires only when an order under review is about the Achilles tendon, so a card on the
// order screen is about the orders there. Value sets: achilles-tendinopathy, achilles-acute-injury,
// achilles-rupture, physiotherapy.
#include "cards/rules/eccentric_rehab.h"

#include "cards/detail.h"

namespace cds::cards {
namespace {

const std::initializer_list<Slot> kSlots = {{"side", 10}, {"Side", 10}};

struct Settings {
  CardSettings card;
  Indicator indicator = Indicator::kInfo;
  ProposalSettings physiotherapy;
};

class EccentricRehab final : public Rule {
 public:
  explicit EccentricRehab(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kEccentricRehab; }
  const CardSettings& card_settings() const override { return s_.card; }
  // Without the referrals and procedures it runs and says it could not check for physiotherapy on record.
  DataUse needs(Hook) const override {
    return {Need(DataKind::kConditions), Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures)};
  }

  FactNeeds facts() const override { return NeedFact(FactKind::kOrderTopics); }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    const std::vector<const ConditionFact*> tendinopathy = Active(facts, ConditionKind::kTendinopathy);
    if (tendinopathy.empty()) {
      ExplainNoActive(facts, ConditionKind::kTendinopathy, "Achilles tendinopathy", trace);
      return std::nullopt;
    }
    if (const ConditionFact* injury = facts.InjuryNotExcluded()) {
      return NoCard(trace, [&] {
        return "Condition/" + std::string(injury->id) + " (" + Describe(injury->evidence) +
               ") may be a rupture: no loading exercise until it is excluded";
      });
    }
    if (IsOrderHook(facts.hook)) {
      bool about = false;
      for (const OrderFact& o : facts.orders) about |= o.judged && o.names_achilles;
      if (!about) {
        return NoCard(trace, [] {
          return std::string("no order under review is about the Achilles tendon: a card on the order screen must be "
                             "about the orders there");
        });
      }
    }
    if (const CareFact* care = facts.PhysiotherapySinceOnset()) {
      return NoCard(trace, [&] {
        return std::string(care->drafted ? "physiotherapy is being ordered now: " : "physiotherapy already on record: ") +
               Reference(care->type, care->id) + " (" + Describe(care->evidence) + ")";
      });
    }

    const Side side = facts.ActiveSide(ConditionKind::kTendinopathy);
    Card card = NewCard(id(), s_.card, s_.indicator);
    card.summary = FillTemplate(s_.card.summary, {{"side", SidePrefix(side, false)}, {"Side", SidePrefix(side, true)}});
    std::string& d = card.detail;
    d.reserve(512);
    const ConditionFact& first = *tendinopathy.front();
    ConditionFact words = first;
    words.side = side;
    d.append("**").append(ConditionWords(words, true)).append("**");
    const std::string ago = Ago(first.onset, facts.today);
    if (!ago.empty()) d.append(", onset ").append(ago);
    d.append(facts.Unavailable(DataKind::kServiceRequests) && facts.Unavailable(DataKind::kProcedures)
                 ? ".\n\n"
                 : "; no physiotherapy or exercise therapy on record since.\n\n");
    AppendAction(d, s_.card.action, s_.card.points);
    AppendBasedOn(d, tendinopathy);
    for (const ConditionFact* c : tendinopathy) card.evidence.push_back(c->evidence);
    AppendNotChecked(d, facts, needs(facts.hook).optional);

    card.suggestions.push_back(
        CreateSuggestion(s_.physiotherapy, facts, facts.ActiveIds(ConditionKind::kTendinopathy), true));
    card.selection = SelectionBehavior::kAny;
    if (trace != nullptr) trace->Note("fired: active Achilles tendinopathy and no physiotherapy since onset");
    return card;
  }

 private:
  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateEccentricRehabRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kEccentricRehab, cards, kSlots);
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader suggestions = r.Object("suggestions");
  s.physiotherapy = ProposalSettings::Read(suggestions.Object("physiotherapyReferral"));
  suggestions.Finish();
  return std::make_unique<EccentricRehab>(std::move(s));
}

}  // namespace cds::cards
