// RapidJSON writing straight into a std::string (reused between requests, so steady-state writes do not
// allocate). Used for every JSON body the service sends.
//
//   std::string out;
//   JsonWriter w = MakeWriter(out);
//   w.StartObject(); w.Key("cards"); w.StartArray(); w.EndArray(); w.EndObject();
#pragma once

#include <string>
#include <string_view>

#include "fhir/json_document.h"
#include <rapidjson/writer.h>

namespace cds::hooks {

class StringOutput {
 public:
  using Ch = char;
  explicit StringOutput(std::string& s) : s_(&s) {}
  void Put(char c) { s_->push_back(c); }
  void Flush() {}

 private:
  std::string* s_;
};

using JsonWriter = rapidjson::Writer<StringOutput, rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::CrtAllocator,
                                     rapidjson::kWriteValidateEncodingFlag>;

// Writes `key: value` for a string member (value written as given; the writer escapes it).
inline void Member(JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// The same, omitted when empty: CDS Hooks optional members are never "" (spec checklist 2).
inline void OptionalMember(JsonWriter& w, std::string_view key, std::string_view value) {
  if (!value.empty()) Member(w, key, value);
}

inline void Key(JsonWriter& w, std::string_view key) { w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size())); }

}  // namespace cds::hooks
