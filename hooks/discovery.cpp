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
           "Send the prefetch keys listed: this service does not query the FHIR server itself yet. A rule whose "
           "data is missing is skipped (or says in its card what it could not check); 412 only when no rule "
           "can run.");
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
