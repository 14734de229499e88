// Feedback validation. The 2.0.1 table: card (the card's uuid) and outcome (accepted | overridden) required;
// acceptedSuggestions required when accepted ([{id}]); overrideReason optional when overridden, with a reason
// Coding and/or a userComment; outcomeTimestamp required. Unknown members are tolerated (§Extensions).
#include "hooks/feedback.h"

#include <rapidjson/document.h>

#include "fhir/date.h"
#include "fhir/json_document.h"

namespace cds::hooks {
namespace {

using fhir::ErrorKind;
using fhir::MakeError;

constexpr std::size_t kMaxIdLength = 128;

bool Digits(std::string_view s, std::size_t at, std::size_t n) {
  if (s.size() < at + n) return false;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// Printable ASCII without space: what a uuid, or any id an EHR echoes back, is made of.
bool IsToken(std::string_view s) {
  if (s.empty() || s.size() > kMaxIdLength) return false;
  for (char c : s) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

}  // namespace

bool IsRfc3339DateTime(std::string_view s) {
  if (s.size() < 20 || s[10] != 'T' || !fhir::FhirDate::Parse(s.substr(0, 10))) return false;
  if (!Digits(s, 11, 2) || s[13] != ':' || !Digits(s, 14, 2) || s[16] != ':' || !Digits(s, 17, 2)) return false;
  if (std::stoi(std::string(s.substr(11, 2))) > 23 || std::stoi(std::string(s.substr(14, 2))) > 59 ||
      std::stoi(std::string(s.substr(17, 2))) > 60) {
    return false;
  }
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  if (i == s.size()) return false;  // a time zone is required
  if (s[i] == 'Z' || s[i] == 'z') return i + 1 == s.size();
  if (s[i] != '+' && s[i] != '-') return false;
  return s.size() == i + 6 && Digits(s, i + 1, 2) && s[i + 3] == ':' && Digits(s, i + 4, 2) &&
         std::stoi(std::string(s.substr(i + 1, 2))) <= 23 && std::stoi(std::string(s.substr(i + 4, 2))) <= 59;
}

fhir::Result<std::vector<audit::FeedbackItem>> ParseFeedback(std::string& body, std::string_view service,
                                                             std::string_view received_at) {
  rapidjson::Document doc;
  auto parsed = fhir::ParseInsitu(body, doc);
  if (!parsed) return parsed.error();
  if (!doc.IsObject()) return MakeError(ErrorKind::kBadRequest, "The feedback body must be a JSON object", "feedback");
  const auto list = doc.FindMember("feedback");
  if (list == doc.MemberEnd() || !list->value.IsArray()) {
    return MakeError(ErrorKind::kBadRequest, "The body must hold \"feedback\": an array of feedback items (CDS Hooks §Feedback)",
                     "feedback");
  }
  const auto& items = list->value.GetArray();
  if (items.Empty()) return MakeError(ErrorKind::kBadRequest, "\"feedback\" is empty: send at least one item", "feedback");
  if (items.Size() > kMaxFeedbackItems) {
    return MakeError(ErrorKind::kBadRequest, "More than " + std::to_string(kMaxFeedbackItems) +
                                                 " feedback items in one request; send them in smaller batches",
                     "feedback");
  }
  std::vector<audit::FeedbackItem> out;
  out.reserve(items.Size());
  for (rapidjson::SizeType i = 0; i < items.Size(); ++i) {
    const std::string at = "feedback[" + std::to_string(i) + "]";
    auto bad = [&](const std::string& field, const std::string& why) {
      return MakeError(ErrorKind::kBadRequest, at + (field.empty() ? "" : "." + field) + ": " + why,
                       at + (field.empty() ? "" : "." + field));
    };
    const rapidjson::Value& item = items[i];
    if (!item.IsObject()) return bad("", "each feedback item must be an object");
    auto string_member = [&](const char* name) -> const rapidjson::Value* {
      const auto m = item.FindMember(name);
      return m == item.MemberEnd() ? nullptr : &m->value;
    };
    audit::FeedbackItem f;
    f.service = std::string(service);
    f.received_at = std::string(received_at);

    const rapidjson::Value* card = string_member("card");
    if (card == nullptr) return bad("card", "required: the uuid of the card the clinician acted on");
    if (!card->IsString() || !IsToken(std::string_view(card->GetString(), card->GetStringLength()))) {
      return bad("card", "must be the card's uuid (a string of at most " + std::to_string(kMaxIdLength) +
                             " printable characters)");
    }
    f.card_uuid.assign(card->GetString(), card->GetStringLength());

    const rapidjson::Value* outcome = string_member("outcome");
    if (outcome == nullptr) return bad("outcome", "required: \"accepted\" or \"overridden\"");
    const std::string_view o = outcome->IsString() ? std::string_view(outcome->GetString(), outcome->GetStringLength())
                                                   : std::string_view("(not a string)");
    if (o == "accepted") {
      f.outcome = audit::Outcome::kAccepted;
    } else if (o == "overridden") {
      f.outcome = audit::Outcome::kOverridden;
    } else {
      return bad("outcome", "must be \"accepted\" or \"overridden\"");
    }

    const rapidjson::Value* accepted = string_member("acceptedSuggestions");
    if (accepted != nullptr) {
      if (!accepted->IsArray()) return bad("acceptedSuggestions", "must be an array of {\"id\": suggestion uuid}");
      const auto& list = accepted->GetArray();
      for (rapidjson::SizeType j = 0; j < list.Size(); ++j) {
        const std::string field = "acceptedSuggestions[" + std::to_string(j) + "]";
        if (!list[j].IsObject()) return bad(field, "must be an object {\"id\": suggestion uuid}");
        const auto id = list[j].FindMember("id");
        if (id == list[j].MemberEnd() || !id->value.IsString() ||
            !IsToken(std::string_view(id->value.GetString(), id->value.GetStringLength()))) {
          return bad(field + ".id", "required: the uuid of the accepted suggestion");
        }
        f.accepted_suggestions.emplace_back(id->value.GetString(), id->value.GetStringLength());
      }
    }
    if (f.outcome == audit::Outcome::kAccepted && f.accepted_suggestions.empty()) {
      return bad("acceptedSuggestions", "required when outcome is \"accepted\": the suggestions the clinician accepted");
    }
    if (f.outcome == audit::Outcome::kOverridden && !f.accepted_suggestions.empty()) {
      return bad("acceptedSuggestions", "only an accepted card has accepted suggestions (outcome is \"overridden\")");
    }

    if (const rapidjson::Value* reason = string_member("overrideReason")) {
      if (f.outcome != audit::Outcome::kOverridden) {
        return bad("overrideReason", "only an overridden card has an override reason (outcome is \"accepted\")");
      }
      if (!reason->IsObject()) return bad("overrideReason", "must be an object {reason, userComment}");
      const auto coding = reason->FindMember("reason");
      const auto comment = reason->FindMember("userComment");
      if (coding == reason->MemberEnd() && comment == reason->MemberEnd()) {
        return bad("overrideReason", "needs a reason (a Coding) or a userComment, or both");
      }
      if (coding != reason->MemberEnd()) {
        const rapidjson::Value& c = coding->value;
        const auto code = c.IsObject() ? c.FindMember("code") : c.MemberEnd();
        if (!c.IsObject() || code == c.MemberEnd() || !code->value.IsString() ||
            !IsToken(std::string_view(code->value.GetString(), code->value.GetStringLength()))) {
          return bad("overrideReason.reason", "must be a Coding with a code (one of the card's overrideReasons)");
        }
        f.override_code.assign(code->value.GetString(), code->value.GetStringLength());
        const auto system = c.FindMember("system");
        if (system != c.MemberEnd()) {
          if (!system->value.IsString() || system->value.GetStringLength() > 512) {
            return bad("overrideReason.reason.system", "must be a URI string");
          }
          f.override_system.assign(system->value.GetString(), system->value.GetStringLength());
        }
      }
      if (comment != reason->MemberEnd()) {
        if (!comment->value.IsString()) return bad("overrideReason.userComment", "must be a string");
        f.has_comment = comment->value.GetStringLength() > 0;
      }
    }

    const rapidjson::Value* when = string_member("outcomeTimestamp");
    if (when == nullptr) return bad("outcomeTimestamp", "required: when the clinician acted (RFC 3339)");
    if (!when->IsString() || !IsRfc3339DateTime(std::string_view(when->GetString(), when->GetStringLength()))) {
      return bad("outcomeTimestamp", "must be an RFC 3339 date-time with a time zone, e.g. 2021-12-11T10:05:31Z");
    }
    f.outcome_at.assign(when->GetString(), when->GetStringLength());
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace cds::hooks
