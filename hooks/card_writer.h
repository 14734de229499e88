// Writes a CDS Hooks response {"cards":[…]}: a fresh uuid for every card and suggestion, optional members
// omitted (never null, "" or []), proposed orders as complete R4 resources, and only what the site's EHR
// profile lets its EHR show (an action it cannot carry is left out, and a suggestion left empty with it).
//
//   std::string body;
//   WriteCardsResponse(cards, {"https://cds.example.org", &profile}, body);
#pragma once

#include <string>
#include <vector>

#include "cards/card.h"
#include "hooks/ehr_profile.h"

namespace cds::hooks {

class AuditLog;
class Metrics;

struct ResponseOptions {
  // Where this service's /rules/{id} pages are served ("https://cds.example.org"): a card whose rule
  // configures no source.url links its rule page there. Empty: no source.url.
  std::string_view rule_page_base;
  const EhrProfile* profile = nullptr;  // null: no limits beyond the specification
  AuditLog* audit = nullptr;            // null: cards are not recorded
  Metrics* metrics = nullptr;           // null: cards and fetches are not counted
  // Set to the card log's place of the last card this answer recorded (0: none), so the answer can wait
  // until it is committed (audit.durableBeforeAnswer). Null: not asked.
  long* recorded = nullptr;
};

// The uuids a response gave one card and the suggestions it showed (the card log links feedback by them).
struct IssuedUuids {
  std::string card;
  std::vector<std::string> suggestions;
};

// `issued`, when given, receives one entry per card, in order.
void WriteCardsResponse(const std::vector<cards::Card>& cards, const ResponseOptions& options, std::string& out,
                        std::vector<IssuedUuids>* issued = nullptr);

}  // namespace cds::hooks
