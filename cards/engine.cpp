// Engine: configuration loading and the facts → rules → cards step.
#include "cards/engine.h"

#include <algorithm>
#include <filesystem>

#include "cards/detail.h"
#include "fhir/parsed_json.h"
#include "fhir/result.h"

namespace cds::cards {
namespace {

namespace fs = std::filesystem;
using fhir::ConfigError;

fhir::ParsedJson ReadJson(const std::string& path) {
  auto doc = fhir::ParsedJson::ReadFile(path);
  if (!doc) throw ConfigError(path, "", doc.error().message);
  return std::move(*doc);
}

bool Runnable(const ActiveRule& a, Hook hook, DataNeeds unavailable) {
  return (a.rule->needs(hook).required & unavailable) == 0;
}

bool FiredAny(const std::vector<RuleId>& fired, const std::vector<RuleId>& among) {
  return std::any_of(among.begin(), among.end(),
                     [&](RuleId r) { return std::find(fired.begin(), fired.end(), r) != fired.end(); });
}

}  // namespace

std::shared_ptr<const Engine> Engine::Load(const std::string& dir) {
  std::shared_ptr<Engine> e(new Engine());
  e->terminology_ = fhir::Terminology::LoadDirectory((fs::path(dir) / "valuesets").string());
  e->vocabulary_ = Vocabulary::From(e->terminology_);

  const std::string cards_file = (fs::path(dir) / "cards.json").string();
  fhir::ParsedJson cards_doc = ReadJson(cards_file);
  e->cards_ = CardsConfig::Read(ConfigReader(cards_doc.root(), cards_file));

  for (const ServiceDefinition* def : Catalog()) e->services_.push_back(Service{def, {}, 0});

  // Every registered rule has a file, and every file is a registered rule: no silently ignored settings.
  const fs::path rules_dir = fs::path(dir) / "rules";
  auto listed = fhir::ListJsonFiles(rules_dir.string());
  if (!listed) throw ConfigError(rules_dir.string(), "", "rules folder unreadable: " + listed.error().message);
  for (const std::string& f : *listed) {
    if (!ParseRuleId(fs::path(f).stem().string())) {
      throw ConfigError(f, "", "no rule has this id; rule files are named <rule-id>.json");
    }
  }

  for (const RuleSpec& spec : RuleSpecs()) {
    const std::string file = (rules_dir / (std::string(RuleIdName(spec.id)) + ".json")).string();
    if (std::find(listed->begin(), listed->end(), file) == listed->end())
      throw ConfigError(file, "", "missing: every rule needs its settings file");
    fhir::ParsedJson doc = ReadJson(file);
    ConfigReader r(doc.root(), file);
    if (r.String("rule") != RuleIdName(spec.id)) r.Fail("rule", "must be \"" + std::string(RuleIdName(spec.id)) + "\"");
    const std::vector<std::string> enabled = r.Strings("services");
    std::unique_ptr<Rule> rule = spec.create(r, e->cards_);
    r.Finish();

    for (std::size_t i = 0; i < enabled.size(); ++i) {
      auto svc = std::find_if(e->services_.begin(), e->services_.end(),
                              [&](const Service& s) { return s.definition->id == enabled[i]; });
      const std::string field = "services[" + std::to_string(i) + "]";
      if (svc == e->services_.end()) throw ConfigError(file, field, "no service \"" + enabled[i] + "\"");
      if (std::find(spec.hooks.begin(), spec.hooks.end(), svc->definition->hook) == spec.hooks.end()) {
        throw ConfigError(file, field,
                          "this rule does not apply to the " + std::string(HookName(svc->definition->hook)) + " hook");
      }
    }
    e->rules_.push_back(std::move(rule));
    const Rule* built = e->rules_.back().get();
    for (Service& svc : e->services_) {
      if (std::find(enabled.begin(), enabled.end(), svc.definition->id) == enabled.end()) continue;
      for (const RuleEntry& entry : svc.definition->rules) {
        if (entry.rule == spec.id) svc.rules.push_back(ActiveRule{built, &entry});
      }
    }
  }
  // Keep each service's rules in its table order (rule files were read in registry order).
  for (Service& svc : e->services_) {
    auto position = [&](const ActiveRule& a) { return a.entry - svc.definition->rules.data(); };
    std::sort(svc.rules.begin(), svc.rules.end(),
              [&](const ActiveRule& a, const ActiveRule& b) { return position(a) < position(b); });
    for (const ActiveRule& a : svc.rules) {
      svc.needs |= a.rule->needs(svc.definition->hook).all();
      svc.facts |= a.rule->facts();
    }
  }
  return e;
}

const Service* Engine::Find(std::string_view service_id) const {
  for (const Service& s : services_) {
    if (s.definition->id == service_id) return &s;
  }
  return nullptr;
}

std::vector<Card> Engine::Evaluate(const Service& service, const Record& record, std::size_t* other_patient) const {
  const Facts facts = BuildFacts(record, vocabulary_, service.facts);
  if (other_patient != nullptr) *other_patient = facts.other_patient;
  std::vector<Card> cards;
  std::vector<RuleId> fired;
  for (const ActiveRule& a : service.rules) {
    if (!Runnable(a, record.hook, record.unavailable) || FiredAny(fired, a.entry->yields_to)) continue;
    if (std::optional<Card> card = a.rule->Evaluate(facts, nullptr)) {
      fired.push_back(a.rule->id());
      cards.push_back(std::move(*card));
    }
  }
  return cards;
}

const CardSettings* Engine::Settings(RuleId id) const {
  for (const auto& r : rules_) {
    if (r->id() == id) return &r->card_settings();
  }
  return nullptr;
}

bool Engine::CanRun(const Service& service, DataNeeds unavailable) const {
  return std::any_of(service.rules.begin(), service.rules.end(),
                     [&](const ActiveRule& a) { return Runnable(a, service.definition->hook, unavailable); });
}

Explanation Engine::Explain(const Service& service, const Record& record) const {
  const Facts facts = BuildFacts(record, vocabulary_, kAllFacts);  // every fact, so the report can show them
  Explanation out;
  out.facts = DescribeFacts(facts);
  std::vector<RuleReport>& reports = out.rules;
  std::vector<RuleId> fired;
  for (const RuleEntry& entry : service.definition->rules) {
    RuleReport report;
    report.id = entry.rule;
    auto active = std::find_if(service.rules.begin(), service.rules.end(),
                               [&](const ActiveRule& a) { return a.entry == &entry; });
    report.enabled = active != service.rules.end();
    if (!report.enabled) {
      report.reasons.push_back("disabled for this service in config/rules/" + std::string(RuleIdName(entry.rule)) +
                               ".json");
    } else if (!Runnable(*active, record.hook, record.unavailable)) {
      report.skipped = true;
      std::string keys;
      for (const DataSpec& spec : DataSpecs()) {
        if (Needs(active->rule->needs(record.hook).required & record.unavailable, spec.kind))
          keys.append(keys.empty() ? "" : ", ").append(spec.prefetch_key);
      }
      report.reasons.push_back("skipped: it needs prefetch data the EHR did not send (" + keys + ")");
    } else if (FiredAny(fired, entry.yields_to)) {
      report.suppressed = true;
      report.reasons.push_back("suppressed: an earlier card in this response already offers what this card would");
    } else {
      Trace trace;
      report.card = active->rule->Evaluate(facts, &trace);
      report.reasons = trace.lines();
      if (report.card) fired.push_back(entry.rule);
    }
    reports.push_back(std::move(report));
  }
  return out;
}

}  // namespace cds::cards
