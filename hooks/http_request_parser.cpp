// What the parser keeps of a request, and the body's share of the budget (see http_request_parser.h).
#include "hooks/http_request_parser.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

namespace cds::hooks {
namespace {

namespace http = boost::beast::http;

constexpr std::size_t kBudgetStep = 64 * 1024;  // chunked bodies reserve their share in steps of this

}  // namespace

bool RequestParser::Reserve(std::size_t total, error_code& ec) {
  if (total <= reserved_) return true;
  const std::size_t more = total - reserved_;
  if (!budget_.Reserve(more)) {
    over_budget = true;
    ec = http::error::body_limit;
    return false;
  }
  reserved_ += more;
  return true;
}

void RequestParser::on_request_impl(http::verb verb, string_view, string_view t, int v, error_code&) {
  version = v;
  switch (verb) {
    case http::verb::get:
      method = Method::kGet;
      method_name = "GET";
      break;
    case http::verb::head:
      method = Method::kHead;
      method_name = "HEAD";
      break;
    case http::verb::post:
      method = Method::kPost;
      method_name = "POST";
      break;
    case http::verb::options:
      method = Method::kOptions;
      method_name = "OPTIONS";
      break;
    default:
      method = Method::kOther;
      method_name = "OTHER";
      break;
  }
  target->assign(t.data(), t.size());
}

void RequestParser::on_field_impl(http::field f, string_view name, string_view value, error_code& ec) {
  switch (f) {
    case http::field::content_type: content_type->assign(value.data(), value.size()); break;
    case http::field::origin: origin->assign(value.data(), value.size()); break;
    case http::field::authorization: authorization->assign(value.data(), value.size()); break;
    case http::field::host:
      ++hosts;
      host->assign(value.data(), value.size());
      break;
    case http::field::expect: expect_continue = boost::beast::iequals(value, "100-continue"); break;
    case http::field::transfer_encoding:
      // Only "chunked" is supported; anything else would leave the body length unknown (RFC 9112 §6.1).
      if (!boost::beast::iequals(value, "chunked")) ec = http::error::bad_transfer_encoding;
      break;
    default:
      if (f == http::field::unknown && boost::beast::iequals(name, "x-request-id")) {
        request_id->assign(value.data(), value.size());
      }
      break;
  }
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code& ec) {
  // The declared length is reserved before a byte of it is buffered (it is within the body limit here).
  if (length && Reserve(static_cast<std::size_t>(*length), ec)) {
    body_.reserve(static_cast<std::size_t>(*length) + 16);  // parse slack: see ParseInsitu
  }
}

std::size_t RequestParser::on_body_impl(string_view s, error_code& ec) {
  if (!Reserve(body_.size() + s.size(), ec)) return 0;
  body_.append(s.data(), s.size());
  return s.size();
}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view s, error_code& ec) {
  const std::size_t want = body_.size() + s.size();
  if (!Reserve(want <= reserved_ ? want : ((want + kBudgetStep - 1) / kBudgetStep) * kBudgetStep, ec)) return 0;
  body_.append(s.data(), s.size());
  return s.size();
}

}  // namespace cds::hooks
