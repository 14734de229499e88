// fluoroquinolone. Source: FDA boxed warning (2008, revised 2016) on tendinitis and tendon rupture, higher
// risk over 60, with corticosteroids and after kidney/heart/lung transplant (codes.md). Value sets:
// fluoroquinolone, eye-ear-form, corticosteroid, transplant-status, achilles-tendinopathy, achilles-rupture.
#include "cards/rules/fluoroquinolone.h"

#include <algorithm>

#include "cards/detail.h"

namespace cds::cards {
namespace {

struct Settings {
  CardSettings card;
  Indicator indicator = Indicator::kWarning;
  Indicator with_risk_factor = Indicator::kCritical;
  int age_over = 60;
  OrderSuggestionSettings remove;
};

class Fluoroquinolone final : public Rule {
 public:
  explicit Fluoroquinolone(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kFluoroquinolone; }
  DataNeeds needs(Hook) const override {
    return Need(DataKind::kPatient) | Need(DataKind::kConditions) | Need(DataKind::kMedications);
  }

  FactNeeds facts() const override { return NeedFact(FactKind::kFluoroquinolones); }

  std::optional<Card> Evaluate(const Facts& facts, Trace* trace) const override {
    // patient-view judges the active fluoroquinolones on record; the order hooks the orders under review.
    const bool on_record = facts.hook == Hook::kPatientView;
    std::vector<const OrderFact*> hits;
    for (const OrderFact& o : on_record ? facts.medications : facts.orders) {
      if (!o.fluoroquinolone || (!on_record && !o.judged)) continue;
      if (o.eye_ear) {
        if (trace != nullptr)
          trace->Note(Reference(o.type, o.id) + ": an eye or ear form (" + Describe(*o.eye_ear) +
                      "), not covered by the warning");
        continue;
      }
      hits.push_back(&o);
    }
    if (hits.empty()) {
      if (trace != nullptr && trace->lines().empty()) {
        trace->Note(on_record ? "no active systemic fluoroquinolone on record"
                              : "no systemic fluoroquinolone among the orders under review");
      }
      return std::nullopt;
    }
    const ConditionFact* diagnosis = facts.FirstActive(ConditionKind::kTendinopathy);
    if (diagnosis == nullptr) diagnosis = facts.FirstActive(ConditionKind::kRupture);
    if (diagnosis == nullptr) {
      ExplainNoActive(facts, ConditionKind::kTendinopathy, "Achilles tendinopathy", trace);
      ExplainNoActive(facts, ConditionKind::kRupture, "Achilles rupture", trace);
      return std::nullopt;
    }

    Card card = NewCard(id(), s_.card, s_.indicator);
    std::string& d = card.detail;
    d.reserve(512);
    for (const OrderFact* o : hits) {
      AppendOrder(d, on_record ? "Active fluoroquinolone" : "Draft order", *o);
      AppendEvidence(d, "Fluoroquinolone", *o->fluoroquinolone);
      d.append("\n");
    }
    AppendCondition(d, diagnosis->kind == ConditionKind::kRupture ? "Achilles tendon rupture" : "Diagnosis",
                    *diagnosis);

    const int risks = AppendRiskFactors(facts, hits, d, trace);
    if (risks > 0) card.indicator = s_.with_risk_factor;
    if (!on_record) {
      for (const OrderFact* o : hits) {
        if (auto sg = DeleteSuggestion(s_.remove, *o)) card.suggestions.push_back(std::move(*sg));
      }
    }
    card.selection = SelectionBehavior::kAny;
    if (trace != nullptr) {
      trace->Note("fired: " + std::to_string(hits.size()) + " fluoroquinolone(s), " + std::to_string(risks) +
                  " risk factor(s), indicator " + std::string(IndicatorName(card.indicator)));
    }
    return card;
  }

 private:
  // Lists the risk factors that make the rupture risk higher (FDA 2016) and returns how many were found.
  int AppendRiskFactors(const Facts& facts, const std::vector<const OrderFact*>& hits, std::string& d,
                        Trace* trace) const {
    int risks = 0;
    auto heading = [&] {
      if (risks++ == 0) d.append("**Risk factors for tendon rupture:**\n");
    };
    if (facts.age && *facts.age > s_.age_over) {
      heading();
      d.append("- Age ").append(std::to_string(*facts.age)).append(" (over ").append(std::to_string(s_.age_over));
      d.append("; Patient.birthDate ").append(facts.birth_date).append(")\n");
    } else if (trace != nullptr) {
      trace->Note(facts.age ? "age " + std::to_string(*facts.age) + " is not over " + std::to_string(s_.age_over)
                            : std::string("age unknown: no usable Patient.birthDate"));
    }
    auto is_hit = [&](const OrderFact& o) { return std::find(hits.begin(), hits.end(), &o) != hits.end(); };
    for (const auto* list : {&facts.medications, &facts.orders}) {
      for (const OrderFact& o : *list) {
        if (!o.systemic_corticosteroid() || is_hit(o)) continue;
        heading();
        d.append(list == &facts.orders ? "- Systemic corticosteroid being ordered: " : "- Systemic corticosteroid: ");
        AppendCited(d, OrderName(o), o.type, o.id, *o.corticosteroid);
        d.append("\n");
      }
    }
    for (const ConditionFact& c : facts.conditions) {
      if (c.kind != ConditionKind::kTransplant || !c.counts) continue;
      heading();
      d.append("- Transplant recipient: ");
      AppendCited(d, c.label, "Condition", c.id, c.evidence);
      d.append("\n");
    }
    if (risks > 0) d.append("\n");
    if (risks == 0 && trace != nullptr) trace->Note("no systemic corticosteroid and no transplant on record");
    return risks;
  }

  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateFluoroquinoloneRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  s.card = CardSettings::Read(r.Object("card"), RuleId::kFluoroquinolone, cards);
  ConfigReader indicators = r.Object("indicators");
  s.indicator = indicators.IndicatorValue("default");
  s.with_risk_factor = indicators.IndicatorValue("withRiskFactor");
  indicators.Finish();
  ConfigReader thresholds = r.Object("thresholds");
  s.age_over = thresholds.Integer("ageOver", 0, 120);
  thresholds.Finish();
  ConfigReader suggestions = r.Object("suggestions");
  s.remove = OrderSuggestionSettings::Read(suggestions.Object("removeOrder"));
  suggestions.Finish();
  return std::make_unique<Fluoroquinolone>(std::move(s));
}

}  // namespace cds::cards
