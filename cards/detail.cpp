// Card detail markdown helpers.
#include "cards/detail.h"

#include "cards/card_settings.h"
#include "cards/rule.h"

namespace cds::cards {

void AppendOrder(std::string& d, std::string_view heading, const OrderFact& order) {
  d.append("**").append(heading).append(":** ");
  AppendEscapedMarkdown(d, OrderName(order));
  d.append(" (").append(order.type).append("/").append(order.id).append(")\n");
}

void AppendEvidence(std::string& d, std::string_view what, const Evidence& e) {
  d.append("- ").append(what).append(": ");
  AppendDescription(d, e);
  d.append("\n");
}

void AppendCited(std::string& d, std::string_view name, std::string_view type, std::string_view id, const Evidence& e) {
  AppendEscapedMarkdown(d, name);
  d.append(" (").append(type).append("/").append(id).append("; ");
  AppendDescription(d, e);
  d.append(")");
}

void AppendCondition(std::string& d, std::string_view heading, const ConditionFact& c) {
  d.append("**").append(heading).append(":** ");
  AppendCited(d, c.label, "Condition", c.id, c.evidence);
  if (c.onset) d.append(", onset ").append(c.onset->earliest.ToString());
  d.append("\n\n");
}

namespace {

std::string_view KindName(ConditionKind k) {
  switch (k) {
    case ConditionKind::kTendinopathy: return "Achilles tendinopathy";
    case ConditionKind::kRupture: return "Achilles rupture";
    case ConditionKind::kTransplant: return "transplant status";
  }
  return "";
}

std::string_view CareName(CareKind k) {
  switch (k) {
    case CareKind::kPhysiotherapy: return "physiotherapy";
    case CareKind::kOrthopaedic: return "orthopaedic";
    case CareKind::kImaging: return "ankle imaging";
  }
  return "";
}

std::string_view RouteName(RouteClass r) {
  switch (r) {
    case RouteClass::kUnknown: return "route not stated";
    case RouteClass::kLocalInjection: return "local injection";
    case RouteClass::kInjection: return "injection, route not stated";
    case RouteClass::kSystemicInjection: return "systemic injection";
    case RouteClass::kOral: return "oral";
    case RouteClass::kTopical: return "topical";
  }
  return "";
}

std::string Classes(const OrderFact& o) {
  std::string c;
  auto add = [&](std::string_view what) { c.append(c.empty() ? "" : ", ").append(what); };
  if (o.corticosteroid) add(o.systemic_corticosteroid() ? "systemic corticosteroid" : "corticosteroid");
  if (o.fluoroquinolone) add(o.eye_ear ? "fluoroquinolone (eye/ear form)" : "fluoroquinolone");
  if (o.tendon_injection) add("tendon injection");
  if (o.immobilisation) add("cast or walking boot");
  if (o.corticosteroid || o.fluoroquinolone || o.tendon_injection) {
    add(RouteName(o.route));
    if (o.corticosteroid || o.tendon_injection) {
      add(o.site == SiteClass::kAchilles    ? "site: Achilles/ankle"
          : o.site == SiteClass::kElsewhere ? "site: elsewhere"
                                            : "site not stated");
    }
  }
  return c.empty() ? "nothing the rules judge" : c;
}

}  // namespace

std::vector<std::string> DescribeFacts(const Facts& f) {
  std::vector<std::string> out;
  out.push_back(
      "today " + f.today.ToString() + "; patient age " +
      (f.age ? std::to_string(*f.age) + " (birthDate " + std::string(f.birth_date) + ")" : std::string("unknown")));
  for (const ConditionFact& c : f.conditions) {
    out.push_back("Condition/" + std::string(c.id) + ": " + std::string(KindName(c.kind)) + " \"" +
                  std::string(c.label) + "\", " +
                  (c.counts ? "counts" : "does not count (" + std::string(c.excluded_because) + ")") +
                  (c.onset ? ", onset " + c.onset->earliest.ToString() : ", onset unknown") +
                  (c.verification_status.empty() ? "" : ", verification " + std::string(c.verification_status)));
  }
  for (const OrderFact& o : f.orders) {
    out.push_back(std::string(o.judged ? "draft order under review " : "draft order (context) ") +
                  Reference(o.type, o.id) + " \"" + std::string(o.label) + "\": " + Classes(o));
  }
  for (const OrderFact& o : f.medications) {
    out.push_back("active medication " + Reference(o.type, o.id) + " \"" + std::string(o.label) + "\": " + Classes(o));
  }
  for (const CareFact& c : f.care) {
    out.push_back(std::string(CareName(c.kind)) + (c.drafted ? " being ordered: " : " on record: ") +
                  Reference(c.type, c.id) + (c.date ? ", " + c.date->earliest.ToString() : std::string(", undated")));
  }
  for (const BmiFact& b : f.bmi) {
    out.push_back("BMI " + std::to_string(b.value).substr(0, std::to_string(b.value).find('.') + 2) + " Observation/" +
                  std::string(b.id) + (b.date ? ", " + b.date->earliest.ToString() : std::string(", undated")));
  }
  return out;
}

void ExplainNoActive(const Facts& facts, ConditionKind kind, std::string_view what, Trace* trace) {
  if (trace == nullptr) return;
  bool any = false;
  for (const ConditionFact& c : facts.conditions) {
    if (c.kind != kind) continue;
    any = true;
    trace->Note("Condition/" + std::string(c.id) + " (" + std::string(c.label) +
                ") does not count: " + std::string(c.excluded_because));
  }
  if (!any) trace->Note("no " + std::string(what) + " Condition in the record");
}

}  // namespace cds::cards
