// The HTTP/1.1 request parser the server reads every request with: Beast's basic_parser keeping only the
// fields the router reads (method, target, Content-Type, Origin, Host, Authorization, X-Request-Id), in
// strings the connection reuses, and the body — reserved against one budget shared by all connections
// before a byte of it is buffered. Everything else is parsed (and validated) but dropped. Internal to the
// hooks library (http_server.cpp), and here so the fuzz target parses exactly what the server parses.
//
//   BodyBudget budget(64 << 20);
//   RequestParser parser(body, budget);
//   parser.target = &target;  …
//   parser.put(net::buffer(bytes), ec);
#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/basic_parser.hpp>

#include "hooks/router.h"

namespace cds::hooks {

// Bytes of request bodies held at once, across every connection (maxInFlightBodyBytes).
class BodyBudget {
 public:
  explicit BodyBudget(std::size_t limit) : limit_(limit) {}
  // Reserves `n` more bytes; false when that would pass the limit.
  bool Reserve(std::size_t n) {
    std::size_t now = used_.load(std::memory_order_relaxed);
    do {
      if (now + n > limit_) return false;
    } while (!used_.compare_exchange_weak(now, now + n, std::memory_order_relaxed));
    return true;
  }
  void Release(std::size_t n) { used_.fetch_sub(n, std::memory_order_relaxed); }
  std::size_t used() const { return used_.load(std::memory_order_relaxed); }

 private:
  std::size_t limit_;
  std::atomic<std::size_t> used_{0};
};

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  RequestParser(std::string& body, BodyBudget& budget) : body_(body), budget_(budget) {}
  ~RequestParser() override { ReleaseBudget(); }

  Method method = Method::kOther;
  std::string_view method_name;
  std::string* target = nullptr;
  std::string* content_type = nullptr;
  std::string* origin = nullptr;
  std::string* host = nullptr;
  std::string* authorization = nullptr;
  std::string* request_id = nullptr;
  int hosts = 0;  // Host fields seen (RFC 9112 §3.2: exactly one in HTTP/1.1)
  bool expect_continue = false;
  bool over_budget = false;  // refused: the server holds too many request bodies at once
  int version = 11;

  void ReleaseBudget() {
    if (reserved_ > 0) budget_.Release(reserved_);
    reserved_ = 0;
  }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  bool Reserve(std::size_t total, error_code& ec);
  void on_request_impl(boost::beast::http::verb verb, string_view, string_view t, int v, error_code&) override;
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(boost::beast::http::field f, string_view name, string_view value, error_code& ec) override;
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code& ec) override;
  std::size_t on_body_impl(string_view s, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view s, error_code& ec) override;
  void on_finish_impl(error_code&) override {}

  std::string& body_;
  BodyBudget& budget_;
  std::size_t reserved_ = 0;
};

}  // namespace cds::hooks
