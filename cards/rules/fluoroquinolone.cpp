// fluoroquinolone. Source: FDA boxed warning (2008, revised 2016) on tendinitis and tendon rupture, higher
// risk over 60, with corticosteroids and after kidney/heart/lung transplant; the labels' Warnings and
// Precautions 5.2: avoid fluoroquinolones in patients with a history of tendon disorders (codes.md,
// rules.md). Value sets: fluoroquinolone, eye-ear-form, corticosteroid, transplant-status,
// achilles-tendinopathy, achilles-acute-injury, achilles-rupture.
#include "cards/rules/fluoroquinolone.h"

#include <unordered_set>

#include "cards/detail.h"

namespace cds::cards {
namespace {

const std::initializer_list<Slot> kSlots = {{"drug", kMaxDrugName}, {"side", 10}, {"condition", 22}};

struct Settings {
  CardSettings card;
  std::string history_summary;
  std::string history_found;  // the line for a past tendon disorder
  Indicator indicator = Indicator::kWarning;
  Indicator with_risk_factor = Indicator::kCritical;
  Indicator history = Indicator::kWarning;
  int age_over = 60;
  OrderSuggestionSettings remove;
};

std::string_view ConditionWord(ConditionKind k) {
  switch (k) {
    case ConditionKind::kAcuteInjury: return "tendon injury";
    case ConditionKind::kRupture: return "tendon rupture";
    default: return "tendinopathy";
  }
}

class Fluoroquinolone final : public Rule {
 public:
  explicit Fluoroquinolone(Settings s) : s_(std::move(s)) {}
  RuleId id() const override { return RuleId::kFluoroquinolone; }
  const CardSettings& card_settings() const override { return s_.card; }
  // patient-view judges the fluoroquinolones on record, so it needs the medications; the order hooks judge
  // the drafts and read the medications for a risk factor only. Age is a risk factor: optional.
  DataUse needs(Hook hook) const override {
    const DataNeeds meds = Need(DataKind::kMedications);
    return hook == Hook::kPatientView ? DataUse{Need(DataKind::kConditions) | meds, Need(DataKind::kPatient)}
                                      : DataUse{Need(DataKind::kConditions), meds | Need(DataKind::kPatient)};
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
    const ConditionFact* diagnosis = facts.ActiveTendonDisorder();
    const ConditionFact* past = diagnosis == nullptr ? facts.PastTendonDisorder() : nullptr;
    if (diagnosis == nullptr && past == nullptr) {
      ExplainNoActive(facts, ConditionKind::kTendinopathy, "Achilles tendinopathy", trace);
      ExplainNoActive(facts, ConditionKind::kAcuteInjury, "acute Achilles tendon injury", trace);
      ExplainNoActive(facts, ConditionKind::kRupture, "Achilles rupture", trace);
      return std::nullopt;
    }
    const ConditionFact& tendon = diagnosis != nullptr ? *diagnosis : *past;

    Card card = NewCard(id(), s_.card, s_.indicator);
    const std::string drug =
        Capitalised(DrugName(*hits.front(), *hits.front()->fluoroquinolone->value_set, "Fluoroquinolone")) +
        (hits.size() > 1 ? " (+" + std::to_string(hits.size() - 1) + ")" : "");
    card.summary = FillTemplate(diagnosis != nullptr ? s_.card.summary : s_.history_summary,
                                {{"drug", drug},
                                 {"side", SidePrefix(tendon.side, false)},
                                 {"condition", ConditionWord(tendon.kind)}});
    std::string& d = card.detail;
    d.reserve(512);
    for (const OrderFact* o : hits) card.evidence.push_back(*o->fluoroquinolone);
    AppendOrderNames(d, hits);
    d.append(on_record ? (hits.size() > 1 ? " are active" : " is active") : " ordered");
    if (diagnosis != nullptr) {
      d.append(" for a patient with ").append(ConditionWords(tendon, false));
      const std::string ago = Ago(tendon.onset, facts.today);
      if (!ago.empty()) d.append(" (onset ").append(ago).append(")");
      d.append(".");
    } else {
      d.append(". ").append(s_.history_found);
    }
    const int risks = AppendRiskFactors(facts, hits, card, trace);
    d.append("\n\n");
    // A past tendon disorder is a warning: the label says to avoid, and the risk factors are listed, but
    // the present disease that earns a critical card is not there.
    if (diagnosis != nullptr && risks > 0) card.indicator = s_.with_risk_factor;
    if (diagnosis == nullptr) card.indicator = s_.history;
    AppendAction(d, s_.card.action, s_.card.points);
    AppendBasedOn(d, {&tendon});
    card.evidence.push_back(tendon.evidence);
    AppendNotChecked(d, facts, needs(facts.hook).optional);
    if (!on_record) {
      for (const OrderFact* o : hits) {
        if (auto sg = DeleteSuggestion(s_.remove, *o)) card.suggestions.push_back(std::move(*sg));
      }
    }
    card.selection = SelectionBehavior::kAny;
    if (trace != nullptr) {
      trace->Note("fired: " + std::to_string(hits.size()) + " fluoroquinolone(s), " +
                  (diagnosis != nullptr ? "active" : "past") + " tendon disorder, " + std::to_string(risks) +
                  " risk factor(s), indicator " + std::string(IndicatorName(card.indicator)));
    }
    return card;
  }

 private:
  // Appends "Higher risk: age 71; on prednisone; kidney transplant." (FDA 2016) and returns how many.
  int AppendRiskFactors(const Facts& facts, const std::vector<const OrderFact*>& hits, Card& card,
                        Trace* trace) const {
    // At most four are named (a record with twenty steroid prescriptions is one risk factor to a reader).
    constexpr int kShown = 4;
    std::string scratch;
    int risks = 0;
    auto next = [&]() -> std::string& {
      if (++risks > kShown) {
        scratch.clear();
        return scratch;
      }
      return card.detail.append(risks == 1 ? " Higher risk: " : "; ");
    };
    if (facts.age && *facts.age > s_.age_over) {
      next().append("age ").append(std::to_string(*facts.age));
    } else if (trace != nullptr) {
      trace->Note(facts.age ? "age " + std::to_string(*facts.age) + " is not over " + std::to_string(s_.age_over)
                            : "age unknown: " + (facts.age_note.empty() ? std::string("no usable Patient.birthDate")
                                                                        : facts.age_note));
    }
    const std::unordered_set<const OrderFact*> judged(hits.begin(), hits.end());
    for (const auto* list : {&facts.medications, &facts.orders}) {
      for (const OrderFact& o : *list) {
        if (!o.systemic_corticosteroid() || judged.count(&o) != 0) continue;
        std::string& d = next();
        d.append(list == &facts.orders ? "systemic " : "on systemic ");
        AppendText(d, DrugName(o, *o.corticosteroid->value_set, "corticosteroid"));
        if (list == &facts.orders) d.append(" being ordered");
        card.evidence.push_back(*o.corticosteroid);
      }
    }
    for (const ConditionFact& c : facts.conditions) {
      if (c.kind != ConditionKind::kTransplant || !c.counts) continue;
      AppendText(next(), c.label.empty() ? std::string_view("transplant recipient") : c.label);
      card.evidence.push_back(c.evidence);
    }
    if (risks > kShown) card.detail.append("; +").append(std::to_string(risks - kShown)).append(" more");
    if (risks > 0) card.detail.append(".");
    if (risks == 0 && trace != nullptr) trace->Note("no systemic corticosteroid and no transplant on record");
    return risks;
  }

  Settings s_;
};

}  // namespace

std::unique_ptr<Rule> CreateFluoroquinoloneRule(ConfigReader& r, const CardsConfig& cards) {
  Settings s;
  ConfigReader card = r.Object("card");
  s.history_summary = ReadSummary(card, "historySummary", kSlots);
  s.history_found = ReadAction(card, "historyFound", {});
  s.card = CardSettings::Read(card, RuleId::kFluoroquinolone, cards, kSlots);
  ConfigReader indicators = r.Object("indicators");
  s.indicator = indicators.IndicatorValue("default");
  s.with_risk_factor = indicators.IndicatorValue("withRiskFactor");
  s.history = indicators.IndicatorValue("pastTendonDisorder");
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
