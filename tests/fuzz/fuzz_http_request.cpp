// libFuzzer target: bytes off a connection, through the request parser exactly as the server drives it —
// the header and body limits and the in-flight body budget of the shipped defaults, fed in reads of up to
// 16 KiB (the server's read size), request after request while the bytes last (pipelining).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include <boost/asio/buffer.hpp>

#include "hooks/http_request_parser.h"
#include "hooks/server_settings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const cds::hooks::ServerSettings settings;
  cds::hooks::BodyBudget budget(settings.max_inflight_body);
  std::string body, target, content_type, origin, host, authorization, request_id;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (int request = 0; request < 64 && !rest.empty(); ++request) {
    cds::hooks::RequestParser parser(body, budget);
    parser.target = &target;
    parser.content_type = &content_type;
    parser.origin = &origin;
    parser.host = &host;
    parser.authorization = &authorization;
    parser.request_id = &request_id;
    parser.header_limit(static_cast<std::uint32_t>(settings.header_limit));
    parser.body_limit(settings.body_limit);
    parser.eager(true);
    boost::beast::error_code ec;
    std::string pending;  // what the parser has not consumed yet, as the connection's buffer holds it
    while (!parser.is_done() && !ec) {
      const std::size_t take = std::min<std::size_t>(rest.size(), 16 * 1024);
      if (take == 0) break;
      pending.append(rest.substr(0, take));
      rest.remove_prefix(take);
      const std::size_t used = parser.put(boost::asio::buffer(pending), ec);
      if (ec == boost::beast::http::error::need_more) ec = {};
      pending.erase(0, used);
    }
    if (ec || !parser.is_done()) break;
    // The unconsumed bytes start the next (pipelined) request.
    rest = std::string_view(reinterpret_cast<const char*>(data) + (size - rest.size() - pending.size()),
                            rest.size() + pending.size());
  }
  if (budget.used() != 0) __builtin_trap();  // every parser gave its share of the budget back
  return 0;
}
