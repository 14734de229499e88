// GET /rules/{id}: the page a card's source.url names. It shows the rule as docs/clinical-rules.md describes
// it for clinicians (compiled into the binary, so the page always matches the code that decides), with this
// deployment's configured wording and evidence links beneath.
//
//   std::optional<std::string> html = RulePage(engine, "steroid-injection");   // nullopt: no such rule
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cards/engine.h"

namespace cds::hooks {

std::optional<std::string> RulePage(const cards::Engine& engine, std::string_view rule_id);

// The text of docs/clinical-rules.md (generated at build time into clinical_rules_doc.cpp).
std::string_view ClinicalRulesDocument();

}  // namespace cds::hooks
