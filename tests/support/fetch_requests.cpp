// Request rewriting for the fetch tests and benchmark (see fetch_requests.h).
#include "tests/support/fetch_requests.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "tests/support/json.h"

namespace cds::test {

std::string Write(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

std::string WithoutPrefetch(const std::string& body, const std::string& server, const std::string& token,
                            const std::vector<std::string>& keys) {
  rapidjson::Document d = Json(body);
  if (keys.empty()) {
    d.RemoveMember("prefetch");
  } else if (d.HasMember("prefetch") && d["prefetch"].IsObject()) {
    for (const std::string& key : keys) d["prefetch"].RemoveMember(key.c_str());
  }
  d.RemoveMember("fhirServer");
  d.RemoveMember("fhirAuthorization");
  auto& a = d.GetAllocator();
  d.AddMember("fhirServer", rapidjson::Value(server.c_str(), a), a);
  if (!token.empty()) {
    rapidjson::Value auth(rapidjson::kObjectType);
    auth.AddMember("access_token", rapidjson::Value(token.c_str(), a), a);
    auth.AddMember("token_type", "Bearer", a);
    auth.AddMember("expires_in", 300, a);
    auth.AddMember("scope", "patient/*.read", a);
    auth.AddMember("subject", "achilles-cds", a);
    d.AddMember("fhirAuthorization", auth, a);
  }
  return Write(d);
}

std::string PrefetchedResources(const std::string& body, std::size_t& count) {
  rapidjson::Document d = Json(body);
  rapidjson::Document out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  out.AddMember("resourceType", "Bundle", a);
  out.AddMember("type", "collection", a);
  rapidjson::Value entries(rapidjson::kArrayType);
  auto add = [&](const rapidjson::Value& r) {
    rapidjson::Value e(rapidjson::kObjectType);
    e.AddMember("resource", rapidjson::Value(r, a), a);
    entries.PushBack(e, a);
  };
  count = 0;
  if (d.HasMember("prefetch") && d["prefetch"].IsObject()) {
    for (auto& m : d["prefetch"].GetObject()) {
      if (!m.value.IsObject()) continue;
      if (m.value.HasMember("entry")) {
        for (auto& e : m.value["entry"].GetArray()) {
          if (e.HasMember("resource")) {
            add(e["resource"]);
            ++count;
          }
        }
      } else if (std::string(m.value["resourceType"].GetString()) != "OperationOutcome") {
        add(m.value);
        ++count;
      }
    }
  }
  out.AddMember("entry", entries, a);
  return Write(out);
}

}  // namespace cds::test
