// The discovery document (GET /cds-services): every service of the catalog in its fixed order, with the
// prefetch templates derived from the data its enabled rules read.
#pragma once

#include <string>

#include "cards/engine.h"

namespace cds::hooks {

std::string DiscoveryDocument(const cards::Engine& engine);

}  // namespace cds::hooks
