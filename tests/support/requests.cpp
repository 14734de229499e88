// Request builders.
#include "tests/support/requests.h"

namespace cds::test {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
  return out;
}

std::string Context(const std::string& extra) {
  return "\"context\":{\"userId\":\"Practitioner/example\",\"patientId\":\"pat-1\",\"encounterId\":\"enc-1\"" + extra +
         "}";
}

std::string Envelope(const std::string& hook, const std::string& context, const Prefetch& p) {
  return "{\"hook\":\"" + hook + "\",\"hookInstance\":\"" + kHookInstance + "\"," + context +
         ",\"prefetch\":" + PrefetchJson(p) + "}";
}

}  // namespace

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string Coding(const std::string& system, const std::string& code, const std::string& display) {
  return "{\"system\":" + Quote(system) + ",\"code\":" + Quote(code) +
         (display.empty() ? "" : ",\"display\":" + Quote(display)) + "}";
}

std::string Concept(const std::vector<std::string>& codings, const std::string& text) {
  std::string out = "{";
  if (!codings.empty()) out += "\"coding\":[" + Join(codings) + "]";
  if (!text.empty()) out += std::string(codings.empty() ? "" : ",") + "\"text\":" + Quote(text);
  return out + "}";
}

std::string Condition(const ConditionSpec& s) {
  std::string out =
      "{\"resourceType\":\"Condition\",\"id\":" + Quote(s.id) + ",\"subject\":{\"reference\":\"Patient/pat-1\"}";
  if (!s.clinical.empty()) {
    out +=
        ",\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
        "condition-clinical\",\"code\":" +
        Quote(s.clinical) + "}]}";
  }
  if (!s.verification.empty()) {
    out +=
        ",\"verificationStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
        "condition-ver-status\",\"code\":" +
        Quote(s.verification) + "}]}";
  }
  out += ",\"code\":" + s.code;
  if (!s.onset.empty()) out += ",\"onsetDateTime\":" + Quote(s.onset);
  return out + "}";
}

std::string Condition(const std::string& id, const std::string& system, const std::string& code,
                      const std::string& display, const std::string& onset) {
  ConditionSpec s;
  s.id = id;
  s.code = Concept({Coding(system, code, display)});
  s.onset = onset;
  return Condition(s);
}

std::string MedicationRequest(const MedicationSpec& s) {
  std::string dosage = "{";
  std::vector<std::string> parts;
  if (!s.dosage_text.empty()) parts.push_back("\"text\":" + Quote(s.dosage_text));
  if (!s.route.empty()) parts.push_back("\"route\":" + s.route);
  if (!s.site.empty()) parts.push_back("\"site\":" + s.site);
  dosage += Join(parts) + "}";
  return "{\"resourceType\":\"MedicationRequest\",\"id\":" + Quote(s.id) + ",\"status\":" + Quote(s.status) +
         ",\"intent\":\"order\",\"subject\":{\"reference\":\"Patient/pat-1\"},\"medicationCodeableConcept\":" +
         s.medication + (parts.empty() ? "" : ",\"dosageInstruction\":[" + dosage + "]") + "}";
}

std::string ServiceRequest(const std::string& id, const std::string& code, const std::string& body_site,
                           const std::string& status, const std::string& authored) {
  return "{\"resourceType\":\"ServiceRequest\",\"id\":" + Quote(id) + ",\"status\":" + Quote(status) +
         ",\"intent\":\"order\",\"subject\":{\"reference\":\"Patient/pat-1\"},\"code\":" + code +
         (body_site.empty() ? "" : ",\"bodySite\":[" + body_site + "]") +
         (authored.empty() ? "" : ",\"authoredOn\":" + Quote(authored)) + "}";
}

std::string Procedure(const std::string& id, const std::string& code, const std::string& performed,
                      const std::string& status) {
  return "{\"resourceType\":\"Procedure\",\"id\":" + Quote(id) + ",\"status\":" + Quote(status) +
         ",\"subject\":{\"reference\":\"Patient/pat-1\"},\"code\":" + code +
         (performed.empty() ? "" : ",\"performedDateTime\":" + Quote(performed)) + "}";
}

std::string Bundle(const std::vector<std::string>& resources, const std::string& type) {
  std::string entries;
  for (std::size_t i = 0; i < resources.size(); ++i)
    entries += (i ? "," : "") + std::string("{\"resource\":") + resources[i] + "}";
  return "{\"resourceType\":\"Bundle\",\"type\":" + Quote(type) + ",\"entry\":[" + entries + "]}";
}

std::string PrefetchJson(const Prefetch& p) {
  auto key = [](const std::vector<std::string>& v) { return v.empty() ? std::string("null") : Bundle(v); };
  return "{\"patient\":" + (p.patient.empty() ? std::string("null") : p.patient) +
         ",\"conditions\":" + key(p.conditions) + ",\"medications\":" + key(p.medications) +
         ",\"serviceRequests\":" + key(p.service_requests) + ",\"procedures\":" + key(p.procedures) +
         ",\"bmi\":" + key(p.bmi) + "}";
}

std::string Bmi(const std::string& id, double value, const std::string& date, const std::string& status) {
  return "{\"resourceType\":\"Observation\",\"id\":" + Quote(id) + ",\"status\":" + Quote(status) +
         ",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"39156-5\",\"display\":\"Body mass "
         "index\"}]}" +
         ",\"subject\":{\"reference\":\"Patient/pat-1\"},\"effectiveDateTime\":" + Quote(date) +
         ",\"valueQuantity\":{\"value\":" + std::to_string(value) + ",\"unit\":\"kg/m2\"}}";
}

std::string PatientView(const Prefetch& p) { return Envelope("patient-view", Context(""), p); }

std::string OrderSign(const std::vector<std::string>& draft_orders, const Prefetch& p) {
  return Envelope("order-sign", Context(",\"draftOrders\":" + Bundle(draft_orders, "collection")), p);
}

std::string OrderSelect(const std::vector<std::string>& draft_orders, const std::vector<std::string>& selections,
                        const Prefetch& p) {
  std::vector<std::string> quoted;
  for (const auto& s : selections) quoted.push_back(Quote(s));
  return Envelope(
      "order-select",
      Context(",\"selections\":[" + Join(quoted) + "],\"draftOrders\":" + Bundle(draft_orders, "collection")), p);
}

}  // namespace cds::test
