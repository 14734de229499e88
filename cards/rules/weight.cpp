// weight. Source: guideline summary in ../shared/clinical/rules.md (weight loss reduces tendon load).
// Value sets: achilles-tendinopathy, bmi (LOINC 39156-5).
#include "cards/rules/weight.h"

#include <cstdio>

#include "cards/detail.h"

namespace cds::cards {
namespace {

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
  DataNeeds needs(Hook) const override { return Need(DataKind::kConditions) | Need(DataKind::kBmiObservations); }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    const ConditionFact* tendinopathy = facts.FirstActive(ConditionKind::kTendinopathy);
    if (tendinopathy == nullptr) {
      ExplainNoActive(facts, ConditionKind::kTendinopathy, "Achilles tendinopathy", trace);
      return std::nullopt;
    }
    // The latest BMI by its date; an undated one cannot be placed in time and is not used.
    const BmiFact* latest = nullptr;
    for (const BmiFact& b : facts.bmi) {
      if (!b.date) {
        if (trace != nullptr) trace->Note("Observation/" + std::string(b.id) + " has no date: not used");
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

    Card card = NewCard(id(), s_.card, s_.indicator);
    AppendCondition(card.detail, "Diagnosis", *tendinopathy);
    card.detail.append("**Latest BMI:** ")
        .append(FormatBmi(latest->value))
        .append(" kg/m2 on ")
        .append(latest->date->earliest.ToString());
    card.detail.append(" (Observation/").append(latest->id).append("; ");
    AppendDescription(card.detail, latest->evidence);
    card.detail.append(")\n\n");
    if (trace != nullptr) trace->Note("fired: " + what() + " is at least " + FormatBmi(s_.bmi_at_least));
    return card;
  }

 private:
  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateWeightRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kWeight, cards);
  s.indicator = r.IndicatorValue("indicator");
  ConfigReader thresholds = r.Object("thresholds");
  s.bmi_at_least = thresholds.Number("bmiAtLeast", 10, 100);
  s.max_age_days = thresholds.Integer("bmiMaxAgeDays", 1, 3650);
  thresholds.Finish();
  return std::make_unique<Weight>(std::move(s));
}

}  // namespace cds::cards
