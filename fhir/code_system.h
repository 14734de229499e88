// The code systems the value sets use, under the names real data gives them: the canonical FHIR URI, or
// the HL7 OID as a `urn:oid:` URI (Epic sends `urn:oid:2.16.840.1.113883.6.90` for ICD-10-CM). Every OID
// here is cited in fhir/code_system.cpp.
//
//   std::string_view s = CanonicalSystem("urn:oid:2.16.840.1.113883.6.96");   // "http://snomed.info/sct"
//   std::string_view n = SystemName(s);                                       // "SNOMED CT"
#pragma once

#include <string_view>

namespace cds::fhir {

inline constexpr std::string_view kSnomed = "http://snomed.info/sct";
inline constexpr std::string_view kIcd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr std::string_view kIcd10 = "http://hl7.org/fhir/sid/icd-10";
inline constexpr std::string_view kIcd9Cm = "http://hl7.org/fhir/sid/icd-9-cm";
inline constexpr std::string_view kRxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr std::string_view kCpt = "http://www.ama-assn.org/go/cpt";
inline constexpr std::string_view kHcpcs = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
inline constexpr std::string_view kLoinc = "http://loinc.org";

// The canonical URI of a known code system given by its OID (`urn:oid:…`); any other text unchanged.
std::string_view CanonicalSystem(std::string_view system);

// Short name of a code system (canonical URI or OID form): "SNOMED CT", "ICD-10-CM", …; else the text.
std::string_view SystemName(std::string_view system);

// ICD-9-CM, ICD-10 and ICD-10-CM (in either form): codes form families by prefix and compare without dots.
bool IsIcdSystem(std::string_view system);

}  // namespace cds::fhir
