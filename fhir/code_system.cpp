// Code-system aliases. Each OID is HL7's registered identifier for the system, verified against the
// canonical URI in a stored source: HL7/fhir source/terminologies-systems.html (SNOMED CT 6.96, RxNorm 6.88,
// CPT 6.12, LOINC 6.1, ICD-10 6.3), and the HL7 Terminology (THO) CodeSystem pages for ICD-10-CM (6.90),
// ICD-9-CM diagnosis codes (6.103) and HCPCS Level II (6.285). THO writes the HCPCS URI with http://,
// codes.md (and many implementations) with https://: both are accepted.
#include "fhir/code_system.h"

namespace cds::fhir {
namespace {

struct KnownSystem {
  std::string_view uri;
  std::string_view oid;  // as sent: urn:oid:<OID>
  std::string_view name;
  std::string_view other_uri = {};  // another spelling seen in real data
};

constexpr KnownSystem kSystems[] = {
    {kSnomed, "urn:oid:2.16.840.1.113883.6.96", "SNOMED CT"},
    {kIcd10Cm, "urn:oid:2.16.840.1.113883.6.90", "ICD-10-CM"},
    {kIcd10, "urn:oid:2.16.840.1.113883.6.3", "ICD-10"},
    {kIcd9Cm, "urn:oid:2.16.840.1.113883.6.103", "ICD-9-CM"},
    {kRxNorm, "urn:oid:2.16.840.1.113883.6.88", "RxNorm"},
    {kCpt, "urn:oid:2.16.840.1.113883.6.12", "CPT"},
    {kHcpcs, "urn:oid:2.16.840.1.113883.6.285", "HCPCS", "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"},
    {kLoinc, "urn:oid:2.16.840.1.113883.6.1", "LOINC"},
    {"http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration", "urn:oid:2.16.840.1.113883.5.112",
     "HL7 v3 route"},
};

const KnownSystem* Find(std::string_view system) {
  for (const KnownSystem& k : kSystems) {
    if (k.uri == system || k.oid == system || (!k.other_uri.empty() && k.other_uri == system)) return &k;
  }
  return nullptr;
}

}  // namespace

std::string_view CanonicalSystem(std::string_view system) {
  // This is on the code-matching path: the common case, a canonical URI, costs two character tests.
  const bool oid = !system.empty() && system[0] == 'u';
  const bool http_cms = system.size() > 14 && system[4] == ':' && system[11] == 'c' && system[12] == 'm';
  if (!oid && !http_cms) return system;
  const KnownSystem* k = Find(system);
  return k == nullptr ? system : k->uri;
}

std::string_view SystemName(std::string_view system) {
  const KnownSystem* k = Find(system);
  return k == nullptr ? system : k->name;
}

bool IsIcdSystem(std::string_view system) {
  const std::string_view s = CanonicalSystem(system);
  return s == kIcd10Cm || s == kIcd10 || s == kIcd9Cm;
}

}  // namespace cds::fhir
