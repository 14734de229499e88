// Card words and the plain-text description of the facts.
#include "cards/detail.h"

#include <cstdio>

#include "cards/rule.h"
#include "fhir/code_system.h"

namespace cds::cards {
namespace {

std::string_view KindName(ConditionKind k) {
  switch (k) {
    case ConditionKind::kTendinopathy: return "Achilles tendinopathy";
    case ConditionKind::kAcuteInjury: return "acute Achilles tendon injury";
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

std::string_view SiteName(SiteClass s) {
  switch (s) {
    case SiteClass::kAchilles: return "site: Achilles tendon";
    case SiteClass::kAnkleRegion: return "site: ankle, structure not stated";
    case SiteClass::kElsewhere: return "site: elsewhere";
    case SiteClass::kUnstated: return "site not stated";
  }
  return "";
}

std::string_view ReasonName(ReasonClass r) {
  switch (r) {
    case ReasonClass::kTendinopathy: return "for Achilles tendinopathy";
    case ReasonClass::kInjury: return "for an Achilles injury or rupture";
    case ReasonClass::kOther: return "for another indication";
    case ReasonClass::kNotStated: return "";
  }
  return "";
}

std::string Classes(const OrderFact& o) {
  std::string c;
  auto add = [&](std::string_view what) {
    if (!what.empty()) c.append(c.empty() ? "" : ", ").append(what);
  };
  if (o.corticosteroid) add(o.systemic_corticosteroid() ? "systemic corticosteroid" : "corticosteroid");
  if (o.fluoroquinolone) add(o.eye_ear ? "fluoroquinolone (eye/ear form)" : "fluoroquinolone");
  if (o.tendon_injection) add("tendon injection");
  if (o.immobilisation) add("cast or walking boot");
  if (o.corticosteroid || o.fluoroquinolone || o.tendon_injection) add(RouteName(o.route));
  if (o.corticosteroid || o.tendon_injection || o.immobilisation) add(SiteName(o.site));
  if (o.side != Side::kUnknown) add("side: " + std::string(SideWord(o.side)));
  add(ReasonName(o.reason));
  return c.empty() ? "nothing the rules judge" : c;
}

}  // namespace

std::string SidePrefix(Side side, bool capital) {
  switch (side) {
    case Side::kLeft: return capital ? "Left " : "left ";
    case Side::kRight: return capital ? "Right " : "right ";
    case Side::kBoth: return capital ? "Bilateral " : "bilateral ";
    case Side::kUnknown: return "";
  }
  return "";
}

std::string ConditionWords(const ConditionFact& c, bool capital) {
  std::string_view what = "Achilles tendinopathy";
  if (c.kind == ConditionKind::kAcuteInjury) what = "Achilles tendon injury";
  if (c.kind == ConditionKind::kRupture) what = "Achilles tendon rupture";
  std::string out = SidePrefix(c.side, capital);
  if (out.empty() && capital) return std::string(what);
  return out.append(what);
}

int WeeksSince(const fhir::FhirDate& date, fhir::Date today) {
  const int days = fhir::DaysBetween(date.latest, today);
  return days < 0 ? 0 : days / 7;
}

std::string Ago(const std::optional<fhir::FhirDate>& date, fhir::Date today) {
  if (!date) return {};
  if (date->precision != fhir::DatePrecision::kDay) {
    int y, m, d;
    date->earliest.ToYmd(y, m, d);
    char buf[16];
    if (date->precision == fhir::DatePrecision::kYear) {
      std::snprintf(buf, sizeof buf, "in %04d", y % 10000);
    } else {
      std::snprintf(buf, sizeof buf, "in %04d-%02d", y % 10000, m % 100);
    }
    return buf;
  }
  const int days = fhir::DaysBetween(date->latest, today);
  if (days <= 0) return "today";
  if (days == 1) return "yesterday";
  if (days < 14) return std::to_string(days) + " days ago";
  if (days < 60) return std::to_string(days / 7) + " weeks ago";
  if (days < 730) return std::to_string(days / 30) + " months ago";
  return std::to_string(days / 365) + " years ago";
}

std::string DrugName(const OrderFact& o, const fhir::ValueSet& names, std::string_view fallback) {
  std::string lower(o.label);
  for (char& c : lower) c = fhir::LowerAscii(c);
  // The term the facts already found in the label, else the value set's names matched now.
  const Evidence* e = o.corticosteroid ? &*o.corticosteroid : o.fluoroquinolone ? &*o.fluoroquinolone : nullptr;
  std::string_view term;
  if (e != nullptr && e->by_name() && e->value_set == &names && e->text == o.label) term = e->term;
  if (term.empty() || lower.find(term) == std::string::npos) {
    auto m = names.MatchName(o.label);
    term = m ? m->term : std::string_view{};
  }
  const std::size_t at = term.empty() ? std::string::npos : lower.find(term);
  if (at == std::string::npos) return o.label.empty() ? std::string(fallback) : Shorten(o.label, kMaxDrugName);
  // The label's own spelling of the term ("Kenalog-40" for "kenalog*"): up to the end of that word.
  std::size_t end = at + term.size();
  while (end < o.label.size() && o.label[end] != ' ' && o.label[end] != ',' && o.label[end] != '(' &&
         o.label[end] != '[')
    ++end;
  return Shorten(o.label.substr(at, end - at), kMaxDrugName);
}

std::string Capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

void AppendOrderNames(std::string& d, const std::vector<const OrderFact*>& orders) {
  constexpr std::size_t kShown = 3;
  d.append("**");
  for (std::size_t i = 0; i < orders.size() && i < kShown; ++i) {
    if (i > 0) d.append(", ");
    AppendText(d, OrderName(*orders[i]));
  }
  d.append("**");
  if (orders.size() > kShown) d.append(" +").append(std::to_string(orders.size() - kShown)).append(" more");
}

void AppendAction(std::string& d, std::string_view action, const std::vector<std::string>& points) {
  d.append(action).append("\n\n");
  for (const std::string& p : points) d.append("- ").append(p).append("\n");
  if (!points.empty()) d.append("\n");
}

void AppendBasedOn(std::string& d, const std::vector<const ConditionFact*>& conditions) {
  if (conditions.empty()) return;
  d.append("Based on: ");
  std::size_t shown = 0;
  for (const ConditionFact* c : conditions) {
    if (shown == 2) {
      d.append("; +").append(std::to_string(conditions.size() - shown)).append(" more");
      break;
    }
    if (shown++ > 0) d.append("; ");
    AppendText(d, c->label.empty() ? std::string_view("diagnosis") : c->label);
    if (!c->evidence.by_name()) {
      d.append(" (").append(fhir::SystemName(c->evidence.system)).append(" ");
      AppendText(d, c->evidence.code);
      d.append(")");
    }
  }
  d.append(".\n\n");
}

void AppendNotChecked(std::string& d, const Facts& facts, DataNeeds used) {
  const DataNeeds missing = facts.unavailable & used;
  if (missing == 0) return;
  d.append("Not checked (the EHR sent no data): ");
  bool first = true;
  for (const DataSpec& spec : DataSpecs()) {
    if (!Needs(missing, spec.kind)) continue;
    d.append(first ? "" : ", ").append(spec.words);
    first = false;
  }
  d.append(".\n\n");
}

std::vector<const ConditionFact*> Active(const Facts& facts, ConditionKind kind) {
  std::vector<const ConditionFact*> out;
  for (const ConditionFact& c : facts.conditions) {
    if (c.kind == kind && c.counts) out.push_back(&c);
  }
  return out;
}

std::vector<std::string> DescribeFacts(const Facts& f) {
  std::vector<std::string> out;
  out.push_back("today " + f.today.ToString() + "; patient age " +
                (f.age ? std::to_string(*f.age) + " (birthDate " + std::string(f.birth_date) + ")"
                       : std::string("unknown") + (f.age_note.empty() ? "" : " (" + f.age_note + ")")));
  if (f.unavailable != 0) {
    std::string keys;
    for (const DataSpec& spec : DataSpecs()) {
      if (Needs(f.unavailable, spec.kind)) keys.append(keys.empty() ? "" : ", ").append(spec.prefetch_key);
    }
    out.push_back("not sent by the EHR: " + keys);
  }
  if (f.other_patient > 0)
    out.push_back("ignored " + std::to_string(f.other_patient) + " resource(s) about another patient");
  for (const ConditionFact& c : f.conditions) {
    std::string line = "Condition/" + std::string(c.id) + ": " + std::string(KindName(c.kind)) + " \"" +
                       std::string(c.label) + "\" (" + Describe(c.evidence) + "), " +
                       (c.counts ? "counts" : "does not count (" + std::string(c.excluded_because) + ")") +
                       (c.history ? ", a past tendon disorder" : "") +
                       (c.onset ? ", onset " + c.onset->earliest.ToString() : ", onset unknown") +
                       (c.onset_note.empty() ? "" : " (" + c.onset_note + ")") +
                       (c.side != Side::kUnknown ? ", side " + std::string(SideWord(c.side)) : "") +
                       (c.seventh != 0 ? ", 7th character " + std::string(1, c.seventh) : "") +
                       (c.verification_status.empty() ? "" : ", verification " + std::string(c.verification_status));
    out.push_back(std::move(line));
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
    char value[32];
    std::snprintf(value, sizeof value, "%.1f", b.value);
    out.push_back("BMI " + std::string(value) + " Observation/" + std::string(b.id) +
                  (b.date ? ", " + b.date->earliest.ToString() : std::string(", undated")));
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
