// Discovery per CDS Hooks 2.0.1 §Discovery.
#include "hooks/discovery.h"

#include "hooks/json_writer.h"

namespace cds::hooks {

namespace {

void WriteDiscovery(const cards::Engine& engine, JsonWriter& w) {
  w.StartObject();
  Key(w, "services");
  w.StartArray();
  for (const cards::Service& s : engine.services()) {
    w.StartObject();
    Member(w, "hook", cards::HookName(s.definition->hook));
    Member(w, "title", s.definition->title);
    Member(w, "description", s.definition->description);
    Member(w, "id", s.definition->id);
    if (s.needs != 0) {
      Key(w, "prefetch");
      w.StartObject();
      for (const cards::DataSpec& spec : cards::DataSpecs()) {
        if (cards::Needs(s.needs, spec.kind)) Member(w, spec.prefetch_key, spec.query_template);
      }
      w.EndObject();
    }
    Member(w, "usageRequirements",
           "Send every prefetch key listed: this service does not query the FHIR server itself yet, and answers "
           "412 when required prefetch data is absent.");
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string DiscoveryDocument(const cards::Engine& engine) {
  std::string out;
  {
    JsonWriter w(out);
    WriteDiscovery(engine, w);
  }
  return out;
}

}  // namespace cds::hooks
