// weight. Source: guideline summary in ../shared/clinical/rules.md (weight loss reduces tendon load).
// Quiet while rupture is not excluded: the acute problem comes first. Value sets: achilles-tendinopathy, bmi
// (LOINC 39156-5).
#include "cards/rules/weight.h"

#include <cstdio>

#include "cards/detail.h"

namespace cds::cards {
namespace {

const std::initializer_list<Slot> kSlots = {{"bmi", 5}, {"side", 10}, {"Side", 10}};

struct Settings {
  CardSettings card;
  Indicator indicator = Indicator::kInfo;
  double bmi_at_least = 30;
  int max_age_days = 365;
};

std::string FormatBmi(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

class Weight final : public Rule {
 public:
  explicit Weight(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kWeight; }
  const CardSettings& card_settings() const override { return s_.card; }
  DataUse needs(Hook) const override { return {Need(DataKind::kConditions) | Need(DataKind::kBmiObservations), 0}; }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    const std::vector<const ConditionFact*> tendinopathy = Active(facts, ConditionKind::kTendinopathy);
    if (tendinopathy.empty()) {
      ExplainNoActive(facts, ConditionKind::kTendinopathy, "Achilles tendinopathy", trace);
      return std::nullopt;
    }
    if (const ConditionFact* injury = facts.InjuryNotExcluded()) {
      return NoCard(trace, [&] {
        return "Condition/" + std::string(injury->id) + " may be a rupture: the acute problem comes first";
      });
    }
    // The latest BMI by its date; an undated one cannot be placed in time and is not used.
    const BmiFact* latest = nullptr;
    for (const BmiFact& b : facts.bmi) {
      if (!b.date) {
        if (trace != nullptr) trace->Note("Observation/" + std::string(b.id) + " has no usable date: not used");
        continue;
      }
      if (latest == nullptr || b.date->latest > latest->date->latest) latest = &b;
    }
    if (latest == nullptr)
      return NoCard(trace, [] { return std::string("no dated BMI observation (LOINC 39156-5) on record"); });
    auto what = [&] {
      return "latest BMI " + FormatBmi(latest->value) + " on " + latest->date->earliest.ToString() + " (Observation/" +
             std::string(latest->id) + ")";
    };
    if (fhir::DaysBetween(latest->date->latest, facts.today) > s_.max_age_days) {
      return NoCard(trace, [&] { return what() + " is older than " + std::to_string(s_.max_age_days) + " days"; });
    }
    if (latest->value < s_.bmi_at_least)
      return NoCard(trace, [&] { return what() + " is under " + FormatBmi(s_.bmi_at_least); });

    const Side side = facts.ActiveSide(ConditionKind::kTendinopathy);
    const std::string bmi = FormatBmi(latest->value);
    Card card = NewCard(id(), s_.card, s_.indicator);
    card.summary = FillTemplate(s_.card.summary,
                                {{"bmi", bmi}, {"side", SidePrefix(side, false)}, {"Side", SidePrefix(side, true)}});
    std::string& d = card.detail;
    d.append("**BMI ").append(bmi).append("** (").append(Ago(latest->date, facts.today)).append(") with ");
    ConditionFact words = *tendinopathy.front();
    words.side = side;
    d.append(ConditionWords(words, false)).append(".\n\n");
    AppendAction(d, s_.card.action, s_.card.points);
    AppendBasedOn(d, tendinopathy);
    for (const ConditionFact* c : tendinopathy) card.evidence.push_back(c->evidence);
    card.evidence.push_back(latest->evidence);
    if (trace != nullptr) trace->Note("fired: " + what() + " is at least " + FormatBmi(s_.bmi_at_least));
    return card;
  }

 private:
  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateWeightRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kWeight, cards, kSlots);
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader thresholds = r.Object("thresholds");
  s.bmi_at_least = thresholds.Number("bmiAtLeast", 10, 100);
  s.max_age_days = thresholds.Integer("bmiMaxAgeDays", 1, 3650);
  thresholds.Finish();
  return std::make_unique<Weight>(std::move(s));
}

}  // namespace cds::cards
