// FhirClient over HttpGetter: one shared state per FetchAll, a deadline timer that answers for whatever is
// still outstanding and cancels it, and page chains that stay on fhirServer (the token goes nowhere else).
#include "fhir/fhir_client.h"

#include <mutex>

#include "fhir/json_node.h"

namespace cds::fhir {
namespace {

using Clock = std::chrono::steady_clock;

struct FetchState {
  std::shared_ptr<HttpGetter> http;
  std::string server;  // without a trailing '/'
  std::string token;
  FhirFetchPolicy policy;
  std::vector<FhirQuery> queries;
  Clock::time_point start, deadline;

  std::mutex mu;  // guards everything below
  std::vector<FhirFetched> results;
  std::vector<bool> finished;
  std::vector<std::shared_ptr<HttpCancel>> cancels;
  std::size_t remaining = 0;
  std::size_t bytes = 0;
  bool answered = false;
  std::shared_ptr<HttpTimer> timer;
  std::function<void(std::vector<FhirFetched>)> done;
};

// Under the lock: the query's outcome is in. Returns true when every query is.
bool Complete(FetchState& s, std::size_t i, const char* reason, std::string problem) {
  s.finished[i] = true;
  s.results[i].reason = reason;
  s.results[i].problem = std::move(problem);
  if (!s.results[i].problem.empty()) s.results[i].pages.clear();
  s.results[i].took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - s.start);
  return --s.remaining == 0;
}

// Outside the lock: hands the results over, once.
void Answer(const std::shared_ptr<FetchState>& s) {
  std::vector<FhirFetched> results;
  std::function<void(std::vector<FhirFetched>)> done;
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (s->answered) return;
    s->answered = true;
    results = std::move(s->results);
    done = std::move(s->done);
    if (s->timer) s->timer->Cancel();
  }
  done(std::move(results));
}

const char* StatusReason(int status) {
  if (status == 401 || status == 403) return "unauthorized";
  if (status == 404) return "not_found";
  return status >= 500 ? "server_error" : "http_status";
}

std::string StatusProblem(int status) {
  std::string p = "HTTP " + std::to_string(status);
  if (status == 401 || status == 403) p += " (the access token was refused)";
  if (status == 404) p += " (not found)";
  if (status >= 500) p += " (the FHIR server failed)";
  return p;
}

// The next page of a searchset Bundle, "" when there is none.
std::string_view NextLink(const JsonNode* bundle) {
  const JsonNode* links = json::Member(bundle, "link");
  for (std::size_t i = 0, n = json::Size(links); i < n; ++i) {
    const JsonNode* link = json::At(links, i);
    if (json::StringAt(link, "relation") == "next") return json::StringAt(link, "url");
  }
  return {};
}

// A next link the token may follow: on fhirServer itself.
bool OnServer(std::string_view url, std::string_view server) {
  return url.size() > server.size() && url.compare(0, server.size(), server) == 0 &&
         (url[server.size()] == '/' || url[server.size()] == '?');
}

void FetchPage(const std::shared_ptr<FetchState>& s, std::size_t i, std::string url, std::size_t page) {
  HttpGetRequest request;
  request.url = std::move(url);
  request.bearer_token = s->token;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(s->deadline - Clock::now());
  // A backstop only, set past the deadline: the deadline timer answers first and cancels the request.
  request.timeout = std::max(left, std::chrono::milliseconds(1)) + std::chrono::seconds(1);
  std::shared_ptr<HttpCancel> cancel;
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (s->answered) return;
    request.max_bytes = s->policy.max_bytes > s->bytes ? s->policy.max_bytes - s->bytes : 1;
    cancel = s->cancels[i];
  }
  s->http->Get(std::move(request), cancel, [s, i, page](HttpGetResult r) {
    std::string next;
    bool all_in = false;
    {
      std::lock_guard<std::mutex> lock(s->mu);
      if (s->answered || s->finished[i]) return;
      auto fail = [&](const char* reason, std::string problem) { all_in = Complete(*s, i, reason, std::move(problem)); };
      s->bytes += r.body.size();
      if (r.too_large || s->bytes > s->policy.max_bytes) {
        // The limit is one budget for the whole call: name it, not what the other keys had left of it.
        fail("too_large", "the answers are larger than " + std::to_string(s->policy.max_bytes) + " bytes together");
      } else if (!r.error.empty()) {
        fail("unreachable", r.error == "cancelled" ? "cancelled" : r.error);
      } else if (r.status != 200) {
        fail(StatusReason(r.status), StatusProblem(r.status));
      } else if (auto parsed = ParsedJson::Parse(std::move(r.body)); !parsed) {
        fail("not_json", "not FHIR JSON: " + parsed.error().message);
      } else {
        const std::string_view type = json::StringAt(parsed->root(), "resourceType");
        const std::string_view link = type == "Bundle" ? NextLink(parsed->root()) : std::string_view{};
        if (type == "OperationOutcome") {
          fail("operation_outcome", "the server answered with an OperationOutcome");
        } else if (!link.empty() && !s->queries[i].single_resource) {
          if (page + 1 >= s->policy.max_pages) {
            fail("page_limit", "more than " + std::to_string(s->policy.max_pages) + " pages of results");
          } else if (!OnServer(link, s->server)) {
            fail("foreign_link", "a next page outside fhirServer (not followed)");
          } else {
            next = std::string(link);
            s->results[i].pages.push_back(std::move(*parsed));
          }
        } else {
          s->results[i].pages.push_back(std::move(*parsed));
          all_in = Complete(*s, i, "", {});
        }
      }
    }
    if (!next.empty()) return FetchPage(s, i, std::move(next), page + 1);
    if (all_in) Answer(s);
  });
}

class Client final : public FhirClient {
 public:
  explicit Client(std::shared_ptr<HttpGetter> http) : http_(std::move(http)) {}

  void FetchAll(std::string server, std::string token, std::vector<FhirQuery> queries, const FhirFetchPolicy& policy,
                std::function<void(std::vector<FhirFetched>)> done) override {
    while (!server.empty() && server.back() == '/') server.pop_back();
    auto s = std::make_shared<FetchState>();
    s->http = http_;
    s->server = server;
    s->token = std::move(token);
    s->policy = policy;
    s->queries = std::move(queries);
    s->start = Clock::now();
    s->deadline = s->start + policy.deadline;
    s->results.resize(s->queries.size());
    s->finished.assign(s->queries.size(), false);
    for (std::size_t i = 0; i < s->queries.size(); ++i) s->cancels.push_back(std::make_shared<HttpCancel>());
    s->remaining = s->queries.size();
    s->done = std::move(done);
    if (s->queries.empty()) return Answer(s);

    const bool plain = server.rfind("http://", 0) == 0;
    if (plain && !s->token.empty() && !policy.allow_plain_http) {
      {
        std::lock_guard<std::mutex> lock(s->mu);
        for (std::size_t i = 0; i < s->queries.size(); ++i) {
          Complete(*s, i, "plain_http", "fhirServer is http://, and an access token is never sent over plain HTTP");
        }
      }
      return Answer(s);
    }
    {
      std::lock_guard<std::mutex> lock(s->mu);
      s->timer = http_->After(policy.deadline, [s] {
        {
          std::lock_guard<std::mutex> lock(s->mu);
          if (s->answered) return;
          const std::string late =
              "no answer within the " + std::to_string(s->policy.deadline.count()) + " ms fetch deadline";
          for (std::size_t i = 0; i < s->queries.size(); ++i) {
            if (s->finished[i]) continue;
            s->cancels[i]->Cancel();
            Complete(*s, i, "deadline", late);
          }
        }
        Answer(s);
      });
    }
    for (std::size_t i = 0; i < s->queries.size(); ++i) {
      std::string url = server + "/" + s->queries[i].relative;
      // Fewer round trips than a server's default page (often 20): one page holds most patients' records.
      if (!s->queries[i].single_resource && policy.page_size > 0 && url.find("_count=") == std::string::npos) {
        url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("_count=") + std::to_string(policy.page_size);
      }
      FetchPage(s, i, std::move(url), 0);
    }
  }

 private:
  std::shared_ptr<HttpGetter> http_;
};

}  // namespace

std::unique_ptr<FhirClient> MakeFhirClient(std::shared_ptr<HttpGetter> http) {
  return std::make_unique<Client>(std::move(http));
}

}  // namespace cds::fhir
