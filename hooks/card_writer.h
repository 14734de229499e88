// Writes a CDS Hooks response {"cards":[…]}: a fresh uuid for every card and suggestion, optional members
// omitted (never null, "" or []), proposed orders as complete R4 resources.
//
//   std::string body;
//   WriteCardsResponse(cards, body);
#pragma once

#include <string>
#include <vector>

#include "cards/card.h"

namespace cds::hooks {

void WriteCardsResponse(const std::vector<cards::Card>& cards, std::string& out);

}  // namespace cds::hooks
