// escalation. Source: guideline summary in ../shared/clinical/rules.md (escalate after 6–8 weeks of
// conservative care; orthopaedic opinion after 2–3 months of it). Weeks are counted from when conservative
// care (physiotherapy) started, not from onset, and the card says "still active after N weeks of
// physiotherapy: review progress" — never that care "failed": the service has no outcome data. PRP is not
// recommended: both good trials were negative (de Vos, JAMA 2010; Kearney, JAMA 2021: no better than sham at
// 6 months). Value sets: achilles-tendinopathy, achilles-acute-injury, achilles-rupture, physiotherapy,
// orthopaedic-referral.
#include "cards/rules/escalation.h"

#include "cards/detail.h"
#include "fhir/parsed_json.h"

namespace cds::cards {
namespace {

const std::initializer_list<Slot> kSlots = {{"side", 10}, {"Side", 10}, {"weeks", 3}};

struct Settings {
  CardSettings card;
  std::string surgical_summary;  // past weeks_surgical: the referral is the prompt
  std::string surgical_action;
  Indicator indicator = Indicator::kInfo;
  int weeks = 8;
  int weeks_surgical = 12;
  ProposalSettings orthopaedic;
};

class Escalation final : public Rule {
 public:
  explicit Escalation(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kEscalation; }
  const CardSettings& card_settings() const override { return s_.card; }
  // The weeks of physiotherapy are the point: without the referrals on record there is nothing to count.
  DataUse needs(Hook) const override {
    return {Need(DataKind::kConditions) | Need(DataKind::kServiceRequests), Need(DataKind::kProcedures)};
  }

  FactNeeds facts() const override { return NeedFact(FactKind::kOrthopaedicCare); }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    const std::vector<const ConditionFact*> tendinopathy = Active(facts, ConditionKind::kTendinopathy);
    if (tendinopathy.empty()) {
      ExplainNoActive(facts, ConditionKind::kTendinopathy, "Achilles tendinopathy", trace);
      return std::nullopt;
    }
    if (const ConditionFact* injury = facts.InjuryNotExcluded()) {
      return NoCard(trace, [&] {
        return "Condition/" + std::string(injury->id) + " may be a rupture: the injury and rupture pathways apply";
      });
    }
    const std::optional<fhir::Date> onset = facts.TendinopathyOnset();
    if (!onset) {
      return NoCard(trace, [] {
        return std::string("no active Achilles tendinopathy with a known onset: physiotherapy for this episode "
                           "cannot be told from an earlier one");
      });
    }
    // Conservative care started with the earliest dated physiotherapy since onset (a referral drafted now
    // starts today).
    const CareFact* start = nullptr;
    bool undated = false;
    for (const CareFact& c : facts.care) {
      if (c.kind != CareKind::kPhysiotherapy) continue;
      const std::optional<fhir::FhirDate> date = c.drafted ? fhir::FhirDate{facts.today, facts.today} : c.date;
      if (!date) {
        undated = true;
        continue;
      }
      if (date->latest < *onset) continue;  // an earlier episode's
      if (start == nullptr || StartOf(*start, facts.today).latest > date->latest) start = &c;
    }
    if (start == nullptr) {
      return NoCard(trace, [&] {
        return std::string(undated ? "physiotherapy on record has no date: its weeks cannot be counted"
                                   : "no physiotherapy on record since onset: eccentric-rehab prompts first");
      });
    }
    const fhir::FhirDate started = StartOf(*start, facts.today);
    const int weeks = WeeksSince(started, facts.today);
    if (weeks < s_.weeks) {
      return NoCard(trace, [&] {
        return "physiotherapy started " + started.earliest.ToString() + " (" + Reference(start->type, start->id) +
               "): " + std::to_string(weeks) + " week(s), under the " + std::to_string(s_.weeks) + "-week threshold";
      });
    }
    if (const CareFact* ortho = facts.CareSince(CareKind::kOrthopaedic, onset)) {
      return NoCard(
          trace, [&] { return "an orthopaedic referral is already on record: " + Reference(ortho->type, ortho->id); });
    }

    const bool surgical = weeks >= s_.weeks_surgical;
    const Side side = facts.ActiveSide(ConditionKind::kTendinopathy);
    const std::string weeks_text = std::to_string(weeks);
    Card card = NewCard(id(), s_.card, s_.indicator);
    card.summary = FillTemplate(surgical ? s_.surgical_summary : s_.card.summary,
                                {{"side", SidePrefix(side, false)}, {"Side", SidePrefix(side, true)}, {"weeks", weeks_text}});
    std::string& d = card.detail;
    ConditionFact words = *tendinopathy.front();
    words.side = side;
    d.append("**").append(ConditionWords(words, true)).append("** still active after ").append(weeks_text);
    d.append(" weeks of physiotherapy (started ").append(Ago(started, facts.today)).append(").\n\n");
    AppendAction(d, FillTemplate(surgical ? s_.surgical_action : s_.card.action, {{"weeks", weeks_text}}),
                 s_.card.points);
    AppendBasedOn(d, tendinopathy);
    for (const ConditionFact* c : tendinopathy) card.evidence.push_back(c->evidence);
    card.evidence.push_back(start->evidence);
    AppendNotChecked(d, facts, needs(facts.hook).optional);
    card.suggestions.push_back(
        CreateSuggestion(s_.orthopaedic, facts, facts.ActiveIds(ConditionKind::kTendinopathy), surgical));
    card.selection = SelectionBehavior::kAny;
    if (trace != nullptr)
      trace->Note("fired: " + weeks_text + " weeks of physiotherapy" + (surgical ? ", past the surgical-referral threshold" : ""));
    return card;
  }

 private:
  static fhir::FhirDate StartOf(const CareFact& c, fhir::Date today) {
    return c.drafted || !c.date ? fhir::FhirDate{today, today} : *c.date;
  }

  Settings s_;
};

}  // namespace

EscalationThresholds ReadEscalationThresholds(ConfigReader& thresholds) {
  EscalationThresholds t;
  t.weeks_review = thresholds.Integer("weeksOfPhysiotherapyBeforeReview", 1, 104);
  t.weeks_surgical = thresholds.Integer("weeksOfPhysiotherapyBeforeSurgicalReferral", 1, 104);
  if (t.weeks_surgical < t.weeks_review)
    thresholds.Fail("weeksOfPhysiotherapyBeforeSurgicalReferral", "must not be below weeksOfPhysiotherapyBeforeReview");
  thresholds.Finish();
  return t;
}

EscalationThresholds LoadEscalationThresholds(const std::string& config_dir) {
  const std::string file = config_dir + "/rules/escalation.json";
  auto doc = fhir::ParsedJson::ReadFile(file);
  if (!doc) throw fhir::ConfigError(file, "", doc.error().message);
  ConfigReader thresholds = ConfigReader(doc->root(), file).Object("thresholds");
  return ReadEscalationThresholds(thresholds);
}

std::unique_ptr<Rule> CreateEscalationRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader thresholds = r.Object("thresholds");
  const EscalationThresholds t = ReadEscalationThresholds(thresholds);
  s.weeks = t.weeks_review;
  s.weeks_surgical = t.weeks_surgical;
  ConfigReader card = r.Object("card");
  s.surgical_summary = ReadSummary(card, "surgicalSummary", kSlots);
  s.surgical_action = ReadAction(card, "surgicalAction", kSlots);
  s.card = CardSettings::Read(card, RuleId::kEscalation, cards, kSlots);
  ConfigReader suggestions = r.Object("suggestions");
  s.orthopaedic = ProposalSettings::Read(suggestions.Object("orthopaedicReferral"));
  suggestions.Finish();
  return std::make_unique<Escalation>(std::move(s));
}

}  // namespace cds::cards
