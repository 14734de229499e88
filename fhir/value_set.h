// A FHIR R4 ValueSet loaded from config/valuesets/, with the two kinds of membership the rules need:
//  - codes: compose.include[].concept lists, and compose.include[].filter {property concept, op is-a} for
//    ICD code families (is-a "S86.01" contains "S86.011A"; dots and case are ignored for ICD systems);
//  - names: the extension kNameMatchUrl lists words that recognise the concept in free text
//    (CodeableConcept.text, Coding.display) where real records carry codes no list covers.
//
//   const ValueSet& vs = terminology.Require("achilles-tendinopathy");
//   if (vs.ContainsCode("http://hl7.org/fhir/sid/icd-10-cm", "S86.011A")) ...
//   if (auto m = vs.MatchName("Left achilles tendinopathy")) Use(m->term);
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/json_node.h"

namespace cds::fhir {

// A name pattern: every `all` group must have one alternative in the text, no `none` term may appear.
// Terms match whole words, case-insensitively; a term ending in '*' matches any word starting with it.
// The extension (complex, on the ValueSet):
//   {"url": kNameMatchUrl, "extension": [{"url": "all", "valueString": "kenalog|triamcinolone"},
//                                       {"url": "none", "valueString": "ophthalmic|otic"}]}
inline constexpr std::string_view kNameMatchUrl = "https://achilles-cds.org/fhir/StructureDefinition/name-match";

struct NameMatch {
  std::string_view term;  // the alternative of the pattern's first group found in the text (without '*')
};

// The alternatives of one group of a name pattern, indexed by first byte so a text is scanned once:
// at each word start only the terms beginning with that letter are compared.
class TermIndex {
 public:
  TermIndex() = default;
  explicit TermIndex(const std::vector<std::string>& terms);  // lower case; trailing '*' = word prefix
  // The first term found at a word boundary of `lower` (already lower-cased), or nullptr.
  const std::string* Find(std::string_view lower) const;
  bool empty() const { return terms_.empty(); }
  // The terms as written, sorted and joined: equal keys are equal groups (Terminology shares them).
  const std::string& key() const { return key_; }

 private:
  std::string key_;
  struct Term {
    std::string text;  // without the '*'
    bool prefix;
  };
  std::vector<Term> terms_;                                      // sorted by first byte
  std::vector<uint16_t> start_ = std::vector<uint16_t>(257, 0);  // terms_[start_[c], start_[c+1]) begin with c
};

// A text lower-cased once, remembering what each term group found in it: the value sets whose patterns
// share a group (the Achilles words open the tendinopathy, injury and rupture patterns alike) scan the text
// for it once. Lives only as long as the text it views.
class LowerText {
 public:
  explicit LowerText(std::string_view text);
  LowerText(const LowerText&) = delete;
  LowerText& operator=(const LowerText&) = delete;
  std::string_view original() const { return original_; }
  std::string_view lower() const { return lower_; }
  // group.Find(lower()), looked up once per group.
  const std::string* Find(const TermIndex& group);

 private:
  struct Memo {
    const TermIndex* group;
    const std::string* found;
  };
  std::string_view original_;
  char stack_[256];
  std::string heap_;
  std::string_view lower_;
  Memo memo_[8];
  unsigned memo_count_ = 0;
};

class ValueSet {
 public:
  // Reads a ValueSet resource. Throws ConfigError naming `file` and the field for anything unsupported:
  // a filter other than is-a on an ICD system, compose.exclude, include.valueSet, a code-less include.
  static ValueSet FromJson(const JsonNode* root, const std::string& file);

  const std::string& id() const { return id_; }
  const std::string& url() const { return url_; }
  const std::string& title() const { return title_; }  // title, else name, else id

  // `system` may be the canonical URI or its OID form (fhir/code_system.h).
  bool ContainsCode(std::string_view system, std::string_view code) const;
  std::optional<NameMatch> MatchName(std::string_view text) const;
  // The same, on a text lower-cased once for several value sets.
  std::optional<NameMatch> MatchName(LowerText& text) const;
  bool has_names() const { return !names_.empty(); }
  // Replaces each term group by the pool's equal one (adding it when new), so value sets that share a
  // group share one object and a LowerText scans for it once.
  void ShareGroups(std::map<std::string, std::shared_ptr<const TermIndex>>& pool);

 private:
  struct SystemCodes {
    std::string system;
    bool icd = false;                   // codes normalised: upper case, no dots
    std::vector<std::string> codes;     // sorted
    std::vector<std::string> families;  // is-a roots, normalised
  };
  struct NamePattern {
    std::vector<std::shared_ptr<const TermIndex>> all;
    std::shared_ptr<const TermIndex> none;
  };

  std::string id_, url_, title_;
  std::vector<SystemCodes> systems_;
  std::vector<NamePattern> names_;
};

// ASCII lower case (UTF-8 bytes above 0x7F are left as they are).
inline char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace cds::fhir
