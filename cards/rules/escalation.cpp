// escalation. Source: guideline summary in ../shared/clinical/rules.md (escalate after 6–8 weeks of
// conservative care; surgery after 2–3 months of failed conservative care; PRP has mixed evidence).
// Value sets: achilles-tendinopathy, achilles-rupture, physiotherapy, orthopaedic-referral.
#include "cards/rules/escalation.h"

#include "cards/detail.h"

namespace cds::cards {
namespace {

struct Settings {
  CardSettings card;
  std::string surgical_summary;  // past weeks_surgical: the referral is the prompt
  Indicator indicator = Indicator::kInfo;
  int weeks = 8;
  int weeks_surgical = 12;
  ProposalSettings orthopaedic;
};

class Escalation final : public Rule {
 public:
  explicit Escalation(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kEscalation; }
  DataNeeds needs(Hook) const override {
    return Need(DataKind::kConditions) | Need(DataKind::kServiceRequests) | Need(DataKind::kProcedures);
  }

  FactNeeds facts() const override { return NeedFact(FactKind::kOrthopaedicCare); }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    if (!facts.HasActive(ConditionKind::kTendinopathy)) {
      ExplainNoActive(facts, ConditionKind::kTendinopathy, "Achilles tendinopathy", trace);
      return std::nullopt;
    }
    if (const ConditionFact* rupture = facts.FirstActive(ConditionKind::kRupture)) {
      return NoCard(trace, [&] {
        return "Condition/" + std::string(rupture->id) + " is a complete rupture: the rupture pathway applies";
      });
    }
    // The longest-standing active tendinopathy; its duration is counted from the latest day its onset allows.
    const ConditionFact* oldest = nullptr;
    for (const ConditionFact& c : facts.conditions) {
      if (c.kind != ConditionKind::kTendinopathy || !c.counts) continue;
      if (!c.onset) {
        if (trace != nullptr)
          trace->Note("Condition/" + std::string(c.id) + " has no onset or recorded date: its duration is unknown");
        continue;
      }
      if (oldest == nullptr || c.onset->earliest < oldest->onset->earliest) oldest = &c;
    }
    if (oldest == nullptr) {
      return NoCard(trace, [] {
        return std::string("no active Achilles tendinopathy with a known onset: weeks of care cannot be counted");
      });
    }
    const int days = fhir::DaysBetween(oldest->onset->latest, facts.today);
    const int weeks = days / 7;
    auto since = [&] {
      return "Condition/" + std::string(oldest->id) + " began " + std::to_string(weeks) + " week(s) ago (onset " +
             oldest->onset->earliest.ToString() + ")";
    };
    if (days < s_.weeks * 7) {
      return NoCard(trace, [&] { return since() + ": under the " + std::to_string(s_.weeks) + "-week threshold"; });
    }
    const CareFact* care = facts.PhysiotherapySinceOnset();
    if (care == nullptr) {
      return NoCard(trace, [&] {
        return since() + ", but no conservative care is on record since onset: eccentric-rehab prompts first";
      });
    }
    if (const CareFact* ortho = facts.CareSince(CareKind::kOrthopaedic, facts.TendinopathyOnset())) {
      return NoCard(
          trace, [&] { return "an orthopaedic referral is already on record: " + Reference(ortho->type, ortho->id); });
    }

    const bool surgical = days >= s_.weeks_surgical * 7;
    Card card = NewCard(id(), s_.card, s_.indicator);
    if (surgical) card.summary = s_.surgical_summary;
    std::string& d = card.detail;
    AppendCondition(d, "Diagnosis", *oldest);
    d.append("Symptoms for ")
        .append(std::to_string(weeks))
        .append(" weeks (threshold ")
        .append(std::to_string(s_.weeks));
    d.append(surgical ? "; surgical referral from " + std::to_string(s_.weeks_surgical) + " weeks" : std::string());
    d.append(") despite conservative care on record: ");
    AppendDescription(d, care->evidence);
    d.append(" (").append(care->type).append("/").append(care->id).append(").\n\n");
    card.suggestions.push_back(
        CreateSuggestion(s_.orthopaedic, facts, facts.ActiveIds(ConditionKind::kTendinopathy), surgical));
    card.selection = SelectionBehavior::kAtMostOne;
    if (trace != nullptr) trace->Note("fired: " + since() + (surgical ? ", past the surgical-referral threshold" : ""));
    return card;
  }

 private:
  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateEscalationRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kEscalation, cards);
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader thresholds = r.Object("thresholds");
  s.weeks = thresholds.Integer("weeksBeforeEscalation", 1, 104);
  s.weeks_surgical = thresholds.Integer("weeksBeforeSurgicalReferral", 1, 104);
  if (s.weeks_surgical < s.weeks)
    thresholds.Fail("weeksBeforeSurgicalReferral", "must not be below weeksBeforeEscalation");
  thresholds.Finish();
  s.surgical_summary = r.String("surgicalSummary");
  if (CodePoints(s.surgical_summary) >= 140)
    r.Fail("surgicalSummary", "must be under 140 characters (CDS Hooks card.summary)");
  ConfigReader suggestions = r.Object("suggestions");
  s.orthopaedic = ProposalSettings::Read(suggestions.Object("orthopaedicReferral"));
  suggestions.Finish();
  return std::make_unique<Escalation>(std::move(s));
}

}  // namespace cds::cards
