#include "hooks/audit_report.h"

#include <cstdlib>

#include <chrono>

#include "audit/calendar.h"
#include "audit/store.h"
#include "hooks/audit_log.h"

namespace cds::hooks {

std::string AuditDatabase(const ServerSettings::Audit& s) {
  // A deployment's URL carries a password: it comes from a secret, as the environment, not from server.json.
  if (const char* env = std::getenv("ACHILLES_AUDIT_DATABASE"); env != nullptr && *env != '\0') return env;
  return s.database.empty() ? "sqlite:" + s.data_dir + "/audit.db" : s.database;
}

fhir::Result<ReportPeriod> ParseReportPeriod(const std::optional<std::string>& from,
                                             const std::optional<std::string>& to, long today,
                                             const std::string& field_prefix) {
  long last = today;
  if (to) {
    auto d = audit::ParseDay(*to);
    if (!d) return fhir::MakeError(fhir::ErrorKind::kBadRequest, "to must be a date YYYY-MM-DD", field_prefix + "to");
    last = *d;
  }
  long first = last - 83;  // twelve whole weeks, ending on `to`
  if (from) {
    auto d = audit::ParseDay(*from);
    if (!d) return fhir::MakeError(fhir::ErrorKind::kBadRequest, "from must be a date YYYY-MM-DD", field_prefix + "from");
    first = *d;
  }
  if (first > last) {
    return fhir::MakeError(fhir::ErrorKind::kBadRequest, "from must not be after to", field_prefix + "from");
  }
  if (last - first > 3660) {
    return fhir::MakeError(fhir::ErrorKind::kBadRequest, "the period is limited to ten years", field_prefix + "from");
  }
  return ReportPeriod{audit::FormatDay(first), audit::FormatDay(last)};
}

audit::ReportLabels ReportLabels(const cards::Engine& engine) {
  audit::ReportLabels labels;
  for (cards::RuleId id : cards::kAllRules) {
    const cards::CardSettings* s = engine.Settings(id);
    if (s == nullptr) continue;
    const std::string rule(cards::RuleIdName(id));
    labels.rule_titles[rule] = s->title;
    for (const cards::CodingValue& reason : s->override_reasons) labels.reasons[rule][reason.code] = reason.display;
  }
  return labels;
}

fhir::Result<std::string> AuditReport(const std::string& database, const cards::Engine& engine,
                                      const ReportPeriod& period, audit::ReportFormat format) {
  try {
    auto store = audit::OpenStore(database);
    const audit::Report report = audit::BuildReport(*store, period.from, period.to, UtcTimestamp());
    return audit::RenderReport(report, ReportLabels(engine), format);
  } catch (const audit::StoreError& e) {
    return fhir::MakeError(fhir::ErrorKind::kOverloaded, std::string("The card log cannot be read: ") + e.what());
  }
}

}  // namespace cds::hooks
