// ValueSet loading and membership tests. Lookups allocate nothing: codes are normalised into a stack
// buffer and found by binary search; text is lower-cased into a stack buffer (heap only past 1 KiB).
#include "fhir/value_set.h"

#include <algorithm>
#include <string>

#include "fhir/code_system.h"
#include "fhir/result.h"

namespace cds::fhir {
namespace {

constexpr std::size_t kMaxCode = 64;

// ASCII letters and digits; UTF-8 bytes of other scripts count as letters, so "é" does not split a word.
bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}

// ICD codes compare without dots and case: "s86.011a" and "S86011A" are the same code.
std::string_view NormaliseIcd(std::string_view code, char (&buf)[kMaxCode]) {
  std::size_t n = 0;
  for (char c : code) {
    if (c == '.') continue;
    if (n == kMaxCode) return {};
    buf[n++] = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return {buf, n};
}

std::vector<std::string> SplitAlternatives(std::string_view s, const std::string& file, const std::string& field) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t bar = s.find('|', start);
    if (bar == std::string_view::npos) bar = s.size();
    std::string term(s.substr(start, bar - start));
    while (!term.empty() && term.front() == ' ') term.erase(term.begin());
    while (!term.empty() && term.back() == ' ') term.pop_back();
    std::transform(term.begin(), term.end(), term.begin(), LowerAscii);
    if (term.empty() || term == "*") throw ConfigError(file, field, "empty term in \"" + std::string(s) + "\"");
    out.push_back(std::move(term));
    start = bar + 1;
  }
  return out;
}

}  // namespace

namespace {

// Does `term` (without '*') occur in `text` at `pos` as a whole word (or, for a prefix term, a word start)?
bool MatchesAt(std::string_view text, std::size_t pos, std::string_view term, bool prefix) {
  if (text.size() - pos < term.size()) return false;
  for (std::size_t i = 0; i < term.size(); ++i) {  // short terms: inline, no memcmp call
    if (text[pos + i] != term[i]) return false;
  }
  const std::size_t end = pos + term.size();
  return prefix || end == text.size() || !IsWordChar(text[end]);
}

bool AtWordStart(std::string_view text, std::size_t pos) { return pos == 0 || !IsWordChar(text[pos - 1]); }

}  // namespace

TermIndex::TermIndex(const std::vector<std::string>& terms) {
  std::vector<std::string> sorted = terms;
  std::sort(sorted.begin(), sorted.end());
  for (const std::string& t : sorted) key_.append(key_.empty() ? "" : "|").append(t);
  for (const std::string& t : terms) {
    const bool prefix = t.back() == '*';
    terms_.push_back(Term{prefix ? t.substr(0, t.size() - 1) : t, prefix});
  }
  std::stable_sort(terms_.begin(), terms_.end(), [](const Term& a, const Term& b) {
    return static_cast<unsigned char>(a.text[0]) < static_cast<unsigned char>(b.text[0]);
  });
  std::size_t k = 0;
  for (unsigned c = 0; c < 256; ++c) {
    start_[c] = static_cast<uint16_t>(k);
    while (k < terms_.size() && static_cast<unsigned char>(terms_[k].text[0]) == c) ++k;
  }
  start_[256] = static_cast<uint16_t>(terms_.size());
}

const std::string* TermIndex::Find(std::string_view lower) const {
  if (terms_.empty()) return nullptr;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    // Most bytes begin no term: that test (two loads) comes before the word-boundary test.
    const unsigned c = static_cast<unsigned char>(lower[i]);
    if (start_[c] == start_[c + 1] || !AtWordStart(lower, i)) continue;
    for (std::size_t k = start_[c]; k < start_[c + 1]; ++k) {
      if (MatchesAt(lower, i, terms_[k].text, terms_[k].prefix)) return &terms_[k].text;
    }
  }
  return nullptr;
}

ValueSet ValueSet::FromJson(const JsonNode* root, const std::string& file) {
  if (json::StringAt(root, "resourceType") != "ValueSet")
    throw ConfigError(file, "resourceType", "must be \"ValueSet\"");
  ValueSet vs;
  vs.id_ = std::string(json::StringAt(root, "id"));
  vs.url_ = std::string(json::StringAt(root, "url"));
  if (vs.id_.empty()) throw ConfigError(file, "id", "missing: rules refer to value sets by id");
  if (vs.url_.empty()) throw ConfigError(file, "url", "missing");
  vs.title_ = std::string(json::StringAt(root, "title"));
  if (vs.title_.empty()) vs.title_ = std::string(json::StringAt(root, "name"));
  if (vs.title_.empty()) vs.title_ = vs.id_;

  const JsonNode* compose = json::Member(root, "compose");
  if (json::Member(compose, "exclude") != nullptr) throw ConfigError(file, "compose.exclude", "not supported");
  const JsonNode* includes = json::Member(compose, "include");
  if (compose != nullptr && !json::IsArray(includes)) throw ConfigError(file, "compose.include", "must be an array");
  for (std::size_t i = 0; i < json::Size(includes); ++i) {
    const JsonNode* inc = json::At(includes, i);
    const std::string where = "compose.include[" + std::to_string(i) + "]";
    if (json::Member(inc, "valueSet") != nullptr) throw ConfigError(file, where + ".valueSet", "not supported");
    const std::string system(CanonicalSystem(json::StringAt(inc, "system")));
    if (system.empty()) throw ConfigError(file, where + ".system", "missing");
    auto it =
        std::find_if(vs.systems_.begin(), vs.systems_.end(), [&](const SystemCodes& s) { return s.system == system; });
    if (it == vs.systems_.end()) {
      vs.systems_.push_back(SystemCodes{system, IsIcdSystem(system), {}, {}});
      it = vs.systems_.end() - 1;
    }
    auto normalise = [&](std::string_view code, const std::string& field) {
      if (code.empty()) throw ConfigError(file, field, "missing code");
      char buf[kMaxCode];
      std::string_view n = it->icd ? NormaliseIcd(code, buf) : code;
      if (n.empty() || code.size() > kMaxCode) throw ConfigError(file, field, "code too long");
      return std::string(n);
    };
    const JsonNode* concepts = json::Member(inc, "concept");
    const JsonNode* filters = json::Member(inc, "filter");
    if (json::Size(concepts) == 0 && json::Size(filters) == 0) {
      throw ConfigError(file, where, "needs a concept list or an is-a filter (a whole code system is not supported)");
    }
    for (std::size_t c = 0; c < json::Size(concepts); ++c) {
      const std::string field = where + ".concept[" + std::to_string(c) + "].code";
      it->codes.push_back(normalise(json::StringAt(json::At(concepts, c), "code"), field));
    }
    for (std::size_t f = 0; f < json::Size(filters); ++f) {
      const JsonNode* filter = json::At(filters, f);
      const std::string field = where + ".filter[" + std::to_string(f) + "]";
      if (json::StringAt(filter, "property") != "concept" || json::StringAt(filter, "op") != "is-a") {
        throw ConfigError(file, field, "only {\"property\": \"concept\", \"op\": \"is-a\"} is supported");
      }
      if (!it->icd) throw ConfigError(file, field, "is-a needs a code hierarchy; supported for ICD systems only");
      it->families.push_back(normalise(json::StringAt(filter, "value"), field + ".value"));
    }
  }
  for (auto& s : vs.systems_) std::sort(s.codes.begin(), s.codes.end());

  const JsonNode* extensions = json::Member(root, "extension");
  for (std::size_t e = 0; e < json::Size(extensions); ++e) {
    const JsonNode* ext = json::At(extensions, e);
    if (json::StringAt(ext, "url") != kNameMatchUrl) continue;
    const std::string where = "extension[" + std::to_string(e) + "]";
    NamePattern pattern;
    std::vector<std::string> none;
    const JsonNode* parts = json::Member(ext, "extension");
    for (std::size_t p = 0; p < json::Size(parts); ++p) {
      const JsonNode* part = json::At(parts, p);
      const std::string field = where + ".extension[" + std::to_string(p) + "]";
      const std::string_view kind = json::StringAt(part, "url");
      const std::string_view value = json::StringAt(part, "valueString");
      if (value.empty()) throw ConfigError(file, field + ".valueString", "missing");
      if (kind == "all") {
        pattern.all.push_back(std::make_shared<const TermIndex>(SplitAlternatives(value, file, field)));
      } else if (kind == "none") {
        for (auto& t : SplitAlternatives(value, file, field)) none.push_back(std::move(t));
      } else {
        throw ConfigError(file, field + ".url", "must be \"all\" or \"none\"");
      }
    }
    if (pattern.all.empty()) throw ConfigError(file, where, "a name pattern needs at least one \"all\" group");
    pattern.none = std::make_shared<const TermIndex>(none);
    vs.names_.push_back(std::move(pattern));
  }
  if (vs.systems_.empty() && vs.names_.empty())
    throw ConfigError(file, "compose", "the value set has no codes and no names");
  return vs;
}

bool ValueSet::ContainsCode(std::string_view system, std::string_view code) const {
  system = CanonicalSystem(system);  // urn:oid:2.16.840.1.113883.6.90 is ICD-10-CM
  for (const SystemCodes& s : systems_) {
    if (s.system != system) continue;
    char buf[kMaxCode];
    std::string_view c = s.icd ? NormaliseIcd(code, buf) : code;
    if (c.empty()) return false;
    if (std::binary_search(s.codes.begin(), s.codes.end(), c,
                           [](const auto& a, const auto& b) { return std::string_view(a) < std::string_view(b); })) {
      return true;
    }
    for (const std::string& family : s.families) {
      if (c.size() >= family.size() && c.compare(0, family.size(), family) == 0) return true;
    }
    return false;
  }
  return false;
}

LowerText::LowerText(std::string_view text) : original_(text) {
  char* lower = stack_;
  if (text.size() > sizeof stack_) {
    heap_.resize(text.size());
    lower = heap_.data();
  }
  for (std::size_t i = 0; i < text.size(); ++i) lower[i] = LowerAscii(text[i]);
  lower_ = std::string_view(lower, text.size());
}

const std::string* LowerText::Find(const TermIndex& group) {
  for (unsigned i = 0; i < memo_count_; ++i) {
    if (memo_[i].group == &group) return memo_[i].found;
  }
  const std::string* found = group.Find(lower_);
  if (memo_count_ < sizeof memo_ / sizeof memo_[0]) memo_[memo_count_++] = Memo{&group, found};
  return found;
}

std::optional<NameMatch> ValueSet::MatchName(std::string_view text) const {
  if (names_.empty() || text.empty()) return std::nullopt;
  LowerText lower(text);
  return MatchName(lower);
}

std::optional<NameMatch> ValueSet::MatchName(LowerText& t) const {
  if (names_.empty() || t.lower().empty()) return std::nullopt;
  for (const NamePattern& p : names_) {
    const std::string* first = t.Find(*p.all[0]);
    if (first == nullptr) continue;
    bool ok = true;
    for (std::size_t g = 1; g < p.all.size() && ok; ++g) ok = t.Find(*p.all[g]) != nullptr;
    if (ok && t.Find(*p.none) == nullptr) return NameMatch{*first};
  }
  return std::nullopt;
}

void ValueSet::ShareGroups(std::map<std::string, std::shared_ptr<const TermIndex>>& pool) {
  auto share = [&](std::shared_ptr<const TermIndex>& group) {
    auto [it, added] = pool.emplace(group->key(), group);
    if (!added) group = it->second;
  };
  for (NamePattern& p : names_) {
    for (auto& g : p.all) share(g);
    share(p.none);
  }
}

}  // namespace cds::fhir
