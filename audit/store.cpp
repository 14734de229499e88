// Choosing a store from its URL.
#include "audit/store.h"

namespace cds::audit {

std::unique_ptr<Store> OpenStore(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return OpenPostgresStore(url);
  if (url.rfind("sqlite:", 0) == 0) return OpenSqliteStore(url.substr(7));
  return OpenSqliteStore(url);
}

}  // namespace cds::audit
