// The adherence report as the command line (`achilles-cds audit report`) and the server (GET /audit,
// GET /audit/report.json) produce it: the period checked, the card log opened read-side, the rules' titles
// and override reasons' displays taken from the running configuration.
#pragma once

#include <optional>
#include <string>

#include "audit/report.h"
#include "cards/engine.h"
#include "fhir/result.h"
#include "hooks/server_settings.h"

namespace cds::hooks {

// The card log's location: $ACHILLES_AUDIT_DATABASE when set (a deployment's secret), else audit.database,
// else sqlite:DATA_DIR/audit.db.
std::string AuditDatabase(const ServerSettings::Audit& settings);

struct ReportPeriod {
  std::string from, to;  // YYYY-MM-DD, inclusive
};
// `from`/`to` as given (YYYY-MM-DD), each optional: `to` defaults to `today`, `from` to 12 weeks before `to`.
// A bad date or an empty span is a 400 naming the field ("from"). `field_prefix` names it as the caller
// wrote it ("--from" on the command line).
fhir::Result<ReportPeriod> ParseReportPeriod(const std::optional<std::string>& from, const std::optional<std::string>& to,
                                             long today, const std::string& field_prefix = "");

audit::ReportLabels ReportLabels(const cards::Engine& engine);

// Opens the card log at `database`, reads the period, renders it. A store that cannot be read is an error
// naming where (never a password).
fhir::Result<std::string> AuditReport(const std::string& database, const cards::Engine& engine,
                                      const ReportPeriod& period, audit::ReportFormat format);

}  // namespace cds::hooks
