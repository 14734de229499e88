// imaging. Source: guideline summary in ../shared/clinical/rules.md (confirm with ultrasound, which has
// good accuracy for the tear type, or MRI). Imaging of another body site (an ultrasound of the shoulder)
// does not count. A suspected rupture is a clinical diagnosis (AAOS 2009): an acute injury or rupture gets
// its own card, not this one. Value sets: achilles-tendinopathy, ankle-imaging, injection-site-elsewhere.
#include "cards/rules/imaging.h"

#include "cards/detail.h"

namespace cds::cards {
namespace {

const std::initializer_list<Slot> kSlots = {{"side", 10}, {"Side", 10}};

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
  const CardSettings& card_settings() const override { return s_.card; }
  DataUse needs(Hook) const override {
    return {Need(DataKind::kConditions), Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures)};
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
    if (const ConditionFact* injury = facts.InjuryNotExcluded()) {
      if (trace != nullptr)
        trace->Note("Condition/" + std::string(injury->id) + " may be a rupture: the injury and rupture pathways apply");
      return std::nullopt;
    }
    if (const CareFact* done = facts.CareSince(CareKind::kImaging, std::nullopt)) {
      if (trace != nullptr)
        trace->Note("ultrasound or MRI already on record: " + Reference(done->type, done->id) + " (" +
                    Describe(done->evidence) + ")");
      return std::nullopt;
    }
    const ConditionFact& c = *unconfirmed.front();
    Card card = NewCard(id(), s_.card, s_.indicator);
    card.summary =
        FillTemplate(s_.card.summary, {{"side", SidePrefix(c.side, false)}, {"Side", SidePrefix(c.side, true)}});
    std::string& d = card.detail;
    d.append("**").append(ConditionWords(c, true)).append("** recorded as ").append(c.verification_status);
    d.append(facts.Unavailable(DataKind::kServiceRequests) && facts.Unavailable(DataKind::kProcedures)
                 ? ".\n\n"
                 : "; no ultrasound or MRI of the ankle on record.\n\n");
    AppendAction(d, s_.card.action, s_.card.points);
    AppendBasedOn(d, unconfirmed);
    std::vector<std::string_view> ids;
    for (const ConditionFact* u : unconfirmed) {
      card.evidence.push_back(u->evidence);
      if (!u->id.empty()) ids.push_back(u->id);
    }
    AppendNotChecked(d, facts, needs(facts.hook).optional);
    card.suggestions.push_back(CreateSuggestion(s_.ultrasound, facts, std::move(ids), true));
    card.selection = SelectionBehavior::kAny;
    if (trace != nullptr) trace->Note("fired: provisional Achilles tendinopathy and no imaging on record");
    return card;
  }

 private:
  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateImagingRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kImaging, cards, kSlots);
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader suggestions = r.Object("suggestions");
  s.ultrasound = ProposalSettings::Read(suggestions.Object("ultrasound"));
  suggestions.Finish();
  return std::make_unique<Imaging>(std::move(s));
}

}  // namespace cds::cards
