// The catalog: every service, in discovery order.
#include "cards/catalog.h"

namespace cds::cards {

const std::vector<const ServiceDefinition*>& Catalog() {
  static const std::vector<const ServiceDefinition*> kServices = {&PatientViewService(), &OrderSelectService(),
                                                                  &OrderSignService()};
  return kServices;
}

const ServiceDefinition* FindServiceDefinition(std::string_view id) {
  for (const ServiceDefinition* s : Catalog()) {
    if (s->id == id) return s;
  }
  return nullptr;
}

}  // namespace cds::cards
