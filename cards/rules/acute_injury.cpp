// acute-injury. An ICD-10-CM S86.0x diagnosis is an acute Achilles injury in which rupture is not excluded
// (the ICD-10-CM index codes a traumatic tendon rupture as a strain: codes.md). Sources for what it gets:
// AAOS clinical practice guideline on acute Achilles tendon rupture (2009; Chiodo, J Am Acad Orthop Surg
// 2010): the diagnosis is clinical, by two or more of the Thompson (calf-squeeze) test, reduced plantar
// flexion strength, a palpable gap and increased passive dorsiflexion; Maffulli 1998 (Am J Sports Med):
// calf-squeeze test sensitivity 0.96, specificity 0.93; UKSTAR (Lancet 2020): immobilisation in equinus,
// then a functional brace or cast. The 7th character (ICD-10-CM guidelines I.C.19.a): A (initial encounter,
// active treatment) gets the card; D (subsequent encounter, routine care while healing) means the injury was
// assessed already: no card, but the rupture precautions stay (no loading prompt, no advice against
// immobilisation); S (sequela) is a past injury (facts: history, not counted). Without a 7th character (WHO
// S86.0, or text) the card fires while the onset is within `acuteWindowDays` (or unknown).
// Value sets: achilles-acute-injury, orthopaedic-referral.
#include "cards/rules/acute_injury.h"

#include "cards/detail.h"

namespace cds::cards {
namespace {

const std::initializer_list<Slot> kSlots = {{"side", 10}, {"Side", 10}};

struct Settings {
  CardSettings card;
  Indicator indicator = Indicator::kWarning;
  int acute_window_days = 42;
  ProposalSettings orthopaedic;
};

class AcuteInjury final : public Rule {
 public:
  explicit AcuteInjury(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kAcuteInjury; }
  const CardSettings& card_settings() const override { return s_.card; }
  DataUse needs(Hook) const override {
    return {Need(DataKind::kConditions), Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures)};
  }
  FactNeeds facts() const override { return NeedFact(FactKind::kOrthopaedicCare); }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    std::vector<const ConditionFact*> acute;
    for (const ConditionFact& c : facts.conditions) {
      if (c.kind != ConditionKind::kAcuteInjury || !c.counts) continue;
      if (c.seventh == 'D') {
        if (trace != nullptr)
          trace->Note("Condition/" + std::string(c.id) +
                      ": 7th character D (subsequent encounter): assessed already; rupture precautions still apply");
        continue;
      }
      if (c.seventh == 0 && c.onset && fhir::DaysBetween(c.onset->latest, facts.today) > s_.acute_window_days) {
        if (trace != nullptr)
          trace->Note("Condition/" + std::string(c.id) + ": no 7th character and onset more than " +
                      std::to_string(s_.acute_window_days) + " days ago: not an acute presentation");
        continue;
      }
      acute.push_back(&c);
    }
    if (acute.empty()) {
      if (!facts.HasActive(ConditionKind::kAcuteInjury))
        ExplainNoActive(facts, ConditionKind::kAcuteInjury, "acute Achilles tendon injury", trace);
      return std::nullopt;
    }
    if (facts.HasActive(ConditionKind::kRupture)) {
      return NoCard(trace, [] { return std::string("a rupture is recorded: the rupture-referral card applies"); });
    }
    std::optional<fhir::Date> onset;
    for (const ConditionFact* c : acute) {
      if (c->onset && (!onset || c->onset->earliest < *onset)) onset = c->onset->earliest;
    }
    if (const CareFact* care = facts.CareSince(CareKind::kOrthopaedic, onset)) {
      return NoCard(trace, [&] {
        return "an orthopaedic referral or repair is on record since the injury: " + Reference(care->type, care->id);
      });
    }
    const ConditionFact& c = *acute.front();
    Card card = NewCard(id(), s_.card, s_.indicator);
    card.summary =
        FillTemplate(s_.card.summary, {{"side", SidePrefix(c.side, false)}, {"Side", SidePrefix(c.side, true)}});
    std::string& d = card.detail;
    d.append("**");
    AppendText(d, c.label.empty() ? std::string_view("Achilles tendon injury") : c.label);
    d.append("**");
    const std::string ago = Ago(c.onset, facts.today);
    if (!ago.empty()) d.append(", onset ").append(ago);
    d.append(": rupture is not excluded.\n\n");
    AppendAction(d, s_.card.action, s_.card.points);
    AppendBasedOn(d, acute);
    for (const ConditionFact* a : acute) card.evidence.push_back(a->evidence);
    AppendNotChecked(d, facts, needs(facts.hook).optional);
    std::vector<std::string_view> ids;
    for (const ConditionFact* a : acute) {
      if (!a->id.empty()) ids.push_back(a->id);
    }
    card.suggestions.push_back(CreateSuggestion(s_.orthopaedic, facts, std::move(ids), true));
    card.selection = SelectionBehavior::kAny;
    if (trace != nullptr) trace->Note("fired: acute Achilles injury, rupture not excluded, no orthopaedic referral");
    return card;
  }

 private:
  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateAcuteInjuryRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kAcuteInjury, cards, kSlots);
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader thresholds = r.Object("thresholds");
  s.acute_window_days = thresholds.Integer("acuteWindowDays", 1, 365);
  thresholds.Finish();
  ConfigReader suggestions = r.Object("suggestions");
  s.orthopaedic = ProposalSettings::Read(suggestions.Object("orthopaedicReferral"));
  suggestions.Finish();
  return std::make_unique<AcuteInjury>(std::move(s));
}

}  // namespace cds::cards
