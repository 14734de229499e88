// Append-only JSON text building for every body the service sends (cards, OperationOutcome, discovery).
// Our output shapes are fixed, so a builder that only places commas and escapes strings is enough, and it
// costs a fraction of a general validating writer (bench/README.md). Strings must be UTF-8 (they are:
// request bodies and configuration files are validated when read); control characters, quotes and
// backslashes are escaped per RFC 8259 §7.
//
//   std::string out;
//   {
//     JsonWriter w(out);
//     w.StartObject(); Key(w, "cards"); w.StartArray(); w.EndArray(); w.EndObject();
//   }  // out == {"cards":[]}
#pragma once

#include <string>
#include <string_view>

namespace cds::hooks {

class JsonWriter {
 public:
  // Writes into a per-thread buffer (grown as needed, never shrunk), copied into `out` by the destructor:
  // keep the writer in a scope that ends before `out` is used.
  explicit JsonWriter(std::string& out);
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void StartObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void StartArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key) {
    Comma();
    AppendString(key);
    *Room(1) = ':';
    ++len_;
    comma_ = false;
  }
  void String(std::string_view value) {
    Comma();
    AppendString(value);
    comma_ = true;
  }
  void Bool(bool value) {
    Comma();
    const std::string_view text = value ? "true" : "false";
    text.copy(Room(text.size()), text.size());
    len_ += text.size();
    comma_ = true;
  }

 private:
  // A pointer to at least n writable bytes at the end of the text.
  char* Room(std::size_t n) { return len_ + n <= cap_ ? buf_ + len_ : Grow(n); }
  char* Grow(std::size_t n);
  void Comma() {
    if (comma_) {
      *Room(1) = ',';
      ++len_;
    }
  }
  void Open(char c) {
    Comma();
    *Room(1) = c;
    ++len_;
    comma_ = false;
  }
  void Close(char c) {
    *Room(1) = c;
    ++len_;
    comma_ = true;
  }
  void AppendString(std::string_view s);

  std::string& out_;
  char* buf_;
  std::size_t cap_;
  std::size_t len_ = 0;
  bool comma_ = false;  // a value was just written at this level: the next one needs a comma
};

inline void Key(JsonWriter& w, std::string_view key) { w.Key(key); }

// Writes `key: value` for a string member.
inline void Member(JsonWriter& w, std::string_view key, std::string_view value) {
  w.Key(key);
  w.String(value);
}

// The same, omitted when empty: CDS Hooks optional members are never "" (spec checklist 2).
inline void OptionalMember(JsonWriter& w, std::string_view key, std::string_view value) {
  if (!value.empty()) Member(w, key, value);
}

}  // namespace cds::hooks
