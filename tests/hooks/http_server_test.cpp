// hooks/http_server.cpp against real sockets: keep-alive, pipelining, limits, malformed requests,
// Expect: 100-continue, timeouts, concurrency and graceful shutdown. Every status of the protocol layer.
#include "hooks/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/requests.h"
#include "tests/support/test_server.h"

namespace cds::hooks {
namespace {

using namespace cds::test;
using namespace std::chrono_literals;

const std::string kServicePath = "/cds-services/achilles-patient-view";

std::string TendinopathyRequest() {
  return PatientView(WithConditions({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")}));
}

TEST(HttpServer, ServesDiscoveryWithJsonHeaders) {
  TestServer server;
  HttpResult r = Get(server.port(), "/cds-services");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
  EXPECT_NE(r.body.find("achilles-order-sign"), std::string::npos);
}

TEST(HttpServer, KeepAliveServesManyRequestsOnOneConnection) {
  TestServer server;
  TestConnection c(server.port());
  for (int i = 0; i < 5; ++i) {
    c.Write(RawRequest("POST", kServicePath, TendinopathyRequest()));
    HttpResult r = c.Read();
    ASSERT_EQ(r.status, 200) << i;
    EXPECT_NE(r.body.find("eccentric-rehab"), std::string::npos);
    EXPECT_EQ(r.header("connection"), "");
  }
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  TestServer server;
  TestConnection c(server.port());
  c.Write(RawRequest("GET", "/healthz") + RawRequest("POST", kServicePath, TendinopathyRequest()) +
          RawRequest("GET", "/cds-services") + RawRequest("POST", "/cds-services/nope", "{}"));
  HttpResult health = c.Read();
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok"})");
  HttpResult cards = c.Read();
  EXPECT_EQ(cards.status, 200);
  EXPECT_NE(cards.body.find("eccentric-rehab"), std::string::npos);
  HttpResult discovery = c.Read();
  EXPECT_EQ(discovery.status, 200);
  EXPECT_NE(discovery.body.find("\"services\""), std::string::npos);
  EXPECT_EQ(c.Read().status, 404);
}

TEST(HttpServer, EveryProtocolStatusEndToEnd) {
  TestServer server;
  EXPECT_EQ(Post(server.port(), kServicePath, "{not json").status, 400);
  EXPECT_EQ(Post(server.port(), "/cds-services/achilles-order-sign", TendinopathyRequest()).status, 400);  // wrong hook
  EXPECT_EQ(Post(server.port(), "/cds-services/unknown", TendinopathyRequest()).status, 404);
  EXPECT_EQ(Get(server.port(), kServicePath).status, 405);
  EXPECT_EQ(Post(server.port(), kServicePath, TendinopathyRequest(), "text/plain").status, 415);
  std::string no_prefetch = PatientView(Prefetch{});
  no_prefetch = no_prefetch.substr(0, no_prefetch.find(",\"prefetch\"")) + "}";
  HttpResult precondition = Post(server.port(), kServicePath, no_prefetch);
  EXPECT_EQ(precondition.status, 412);
  EXPECT_NE(precondition.body.find("OperationOutcome"), std::string::npos);
  EXPECT_EQ(precondition.header("content-type"), "application/json");
}

TEST(HttpServer, BodyOverTheLimitIs413AndTheClientSeesIt) {
  ServerSettings s = TestSettings();
  s.body_limit = 4096;
  TestServer server(s);
  TestConnection c(server.port());
  c.Write(RawRequest("POST", kServicePath, std::string(100000, ' ')));
  HttpResult r = c.Read();
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("larger than 4096 bytes"), std::string::npos) << r.body;
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(c.ClosedByPeer());
}

TEST(HttpServer, ChunkedBodiesAreReadAndLimited) {
  ServerSettings s = TestSettings();
  s.body_limit = 8192;
  TestServer server(s);
  const std::string body = TendinopathyRequest();
  std::string chunked = "POST " + kServicePath +
                        " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::size_t half = body.size() / 2;
  auto chunk = [](const std::string& part) {
    char size[16];
    std::snprintf(size, sizeof size, "%zx", part.size());
    return std::string(size) + "\r\n" + part + "\r\n";
  };
  chunked += chunk(body.substr(0, half)) + chunk(body.substr(half)) + "0\r\n\r\n";
  TestConnection ok(server.port());
  ok.Write(chunked);
  HttpResult r = ok.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("eccentric-rehab"), std::string::npos);

  TestConnection big(server.port());
  big.Write("POST " + kServicePath +
            " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
            chunk(std::string(6000, ' ')) + chunk(std::string(6000, ' ')) + "0\r\n\r\n");
  EXPECT_EQ(big.Read().status, 413);
}

TEST(HttpServer, HeaderOverTheLimitIs431) {
  ServerSettings s = TestSettings();
  s.header_limit = 2048;
  TestServer server(s);
  TestConnection c(server.port());
  c.Write(RawRequest("GET", "/healthz", "", "", "X-Big: " + std::string(4000, 'a') + "\r\n"));
  HttpResult r = c.Read();
  EXPECT_EQ(r.status, 431);
  EXPECT_TRUE(c.ClosedByPeer());
}

TEST(HttpServer, MalformedRequestsAre400AndClose) {
  TestServer server;
  for (const std::string& raw : {
           std::string("GARBAGE\r\n\r\n"),
           std::string("GET /healthz HTTP/1.1\r\nHost x\r\n\r\n"),
           std::string("GET /healthz HTTP/7.0\r\n\r\n"),
           // RFC 9112 §6.3: Content-Length together with Transfer-Encoding is a smuggling vector.
           "POST " + kServicePath +
               " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: "
               "chunked\r\n\r\n0\r\n\r\n",
           "POST " + kServicePath +
               " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: "
               "chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
           "POST " + kServicePath + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{}",
           "POST " + kServicePath + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n{}",
           "POST " + kServicePath + " HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
       }) {
    TestConnection c(server.port());
    c.Write(raw);
    HttpResult r = c.Read();
    EXPECT_EQ(r.status, 400) << raw;
    EXPECT_NE(r.body.find("Malformed HTTP request"), std::string::npos) << r.body;
    EXPECT_TRUE(c.ClosedByPeer()) << raw;
  }
}

TEST(HttpServer, ExpectContinueGetsA100ThenTheAnswer) {
  TestServer server;
  const std::string body = TendinopathyRequest();
  TestConnection c(server.port());
  c.Write("POST " + kServicePath +
          " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\n\r\n");
  HttpResult interim = c.Read();
  EXPECT_EQ(interim.status, 100);
  c.Write(body);
  HttpResult r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("eccentric-rehab"), std::string::npos);
}

TEST(HttpServer, ExpectContinueOverTheLimitIs413WithoutA100) {
  ServerSettings s = TestSettings();
  s.body_limit = 4096;
  TestServer server(s);
  TestConnection c(server.port());
  c.Write("POST " + kServicePath +
          " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
          "999999\r\n\r\n");
  EXPECT_EQ(c.Read().status, 413);
}

TEST(HttpServer, IdleConnectionsAreClosedAfterTheIdleTimeout) {
  ServerSettings s = TestSettings();
  s.idle_timeout = 200ms;
  TestServer server(s);
  TestConnection c(server.port());
  c.Write(RawRequest("GET", "/healthz"));
  EXPECT_EQ(c.Read().status, 200);
  EXPECT_TRUE(c.ClosedByPeer(5000ms));
}

TEST(HttpServer, ARequestThatStallsGets408) {
  ServerSettings s = TestSettings();
  s.read_timeout = 200ms;
  TestServer server(s);
  TestConnection c(server.port());
  c.Write("POST " + kServicePath +
          " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"hook\"");
  HttpResult r = c.Read();
  EXPECT_EQ(r.status, 408);
  EXPECT_TRUE(c.ClosedByPeer());
}

TEST(HttpServer, Http10AndConnectionCloseAreHonoured) {
  TestServer server;
  TestConnection old(server.port());
  old.Write("GET /healthz HTTP/1.0\r\n\r\n");
  HttpResult r = old.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(old.ClosedByPeer());

  TestConnection closing(server.port());
  closing.Write(RawRequest("GET", "/healthz", "", "", "Connection: close\r\n"));
  EXPECT_EQ(closing.Read().status, 200);
  EXPECT_TRUE(closing.ClosedByPeer());
}

TEST(HttpServer, HeadHasNoBody) {
  TestServer server;
  TestConnection c(server.port());
  c.Write(RawRequest("HEAD", "/cds-services") + RawRequest("GET", "/healthz"));
  HttpResult head = c.Read(/*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_NE(head.header("content-length"), "0");
  EXPECT_EQ(c.Read().body, R"({"status":"ok"})");  // the next response starts right after the head
}

TEST(HttpServer, PreflightOverTheWire) {
  TestServer server;
  TestConnection c(server.port());
  c.Write(
      "OPTIONS /cds-services/achilles-order-sign HTTP/1.1\r\nHost: x\r\nOrigin: https://sandbox.cds-hooks.org\r\n"
      "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization,content-type\r\n\r\n");
  HttpResult r = c.Read();
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
  EXPECT_EQ(r.header("access-control-allow-headers"), "Content-Type, Authorization");
  EXPECT_EQ(r.header("content-length"), "");
}

// The cpprestsdk listener deadlocked for good with 40 POSTs in flight whose bodies arrive late.
TEST(HttpServer, ManyRequestsInFlightWithLateBodiesAllComplete) {
  TestServer server;
  const std::string body = TendinopathyRequest();
  constexpr int kConnections = 64;
  std::vector<std::unique_ptr<TestConnection>> conns;
  for (int i = 0; i < kConnections; ++i) {
    conns.push_back(std::make_unique<TestConnection>(server.port()));
    conns.back()->Write("POST " + kServicePath +
                        " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));
  }
  std::this_thread::sleep_for(50ms);
  for (auto& c : conns) c->Write(body.substr(10));
  int ok = 0;
  for (auto& c : conns) ok += c->Read().status == 200;
  EXPECT_EQ(ok, kConnections);
}

TEST(HttpServer, ConcurrentClientsAllGetAnswers) {
  TestServer server;
  const std::string body = TendinopathyRequest();
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 16; ++t) {
    clients.emplace_back([&] {
      TestConnection c(server.port());
      for (int i = 0; i < 25; ++i) {
        c.Write(RawRequest("POST", kServicePath, body));
        ok += c.Read().status == 200;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 16 * 25);
}

TEST(HttpServer, GracefulStopFinishesInFlightRequestsAndClosesIdleOnes) {
  auto server = std::make_unique<TestServer>();
  const uint16_t port = server->port();
  const std::string body = TendinopathyRequest();
  TestConnection idle(port);
  idle.Write(RawRequest("GET", "/healthz"));
  ASSERT_EQ(idle.Read().status, 200);
  TestConnection busy(port);
  busy.Write("POST " + kServicePath + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 20));
  std::this_thread::sleep_for(100ms);  // the server has started reading this request

  auto stopped = std::async(std::launch::async, [&] { server->Stop(); });
  EXPECT_TRUE(idle.ClosedByPeer());
  busy.Write(body.substr(20));
  HttpResult r = busy.Read();
  EXPECT_EQ(r.status, 200);                    // the in-flight request is answered…
  EXPECT_EQ(r.header("connection"), "close");  // …and its connection then closed
  EXPECT_EQ(stopped.wait_for(5s), std::future_status::ready);
  EXPECT_THROW(TestConnection refused(port), std::exception);  // no new connections
}

// RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message
// that lacks a Host header field and to any request message that contains more than one Host header field".
TEST(HttpServer, HostIsRequiredOnceInHttp11) {
  TestServer server;
  for (const std::string& raw : {std::string("GET /healthz HTTP/1.1\r\n\r\n"),
                                 std::string("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                                 std::string("GET /healthz HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n")}) {
    TestConnection c(server.port());
    c.Write(raw);
    HttpResult r = c.Read();
    EXPECT_EQ(r.status, 400) << raw;
    EXPECT_NE(r.body.find("Host"), std::string::npos) << r.body;
    EXPECT_TRUE(c.ClosedByPeer()) << raw;
  }
  TestConnection old(server.port());
  old.Write("GET /healthz HTTP/1.0\r\n\r\n");  // HTTP/1.0 may omit it
  EXPECT_EQ(old.Read().status, 200);
}

// RFC 9112 §3.2.2: a server MUST accept the absolute form of a request target.
TEST(HttpServer, AbsoluteFormTargetsAreAccepted) {
  TestServer server;
  TestConnection c(server.port());
  c.Write(RawRequest("POST", "http://127.0.0.1" + kServicePath, TendinopathyRequest()));
  HttpResult r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("eccentricRehab"), std::string::npos);
}

// An HTTP/1.0 client asking for keep-alive must be told the connection stays open (else it waits for a
// close that never comes); Expect: 100-continue means nothing in HTTP/1.0.
TEST(HttpServer, Http10KeepAliveIsAnsweredAndExpectIsIgnored) {
  TestServer server;
  TestConnection c(server.port());
  c.Write("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  HttpResult first = c.Read();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.header("connection"), "keep-alive");
  c.Write("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(c.Read().status, 200);  // the same connection

  const std::string body = TendinopathyRequest();
  TestConnection expect(server.port());
  expect.Write("POST " + kServicePath + " HTTP/1.0\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
               "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(expect.Read().status, 200);  // a 100 would have come first
}

// A chunk-size line, chunk extension or trailer is chunk metadata: bounded like a header (it was buffered
// without limit: +119 MiB for a 48 MiB extension).
TEST(HttpServer, ChunkMetadataIsBoundedLikeAHeader) {
  ServerSettings s = TestSettings();
  s.header_limit = 4096;
  TestServer server(s);
  const std::string head = "POST " + kServicePath +
                           " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (const std::string& attack : {head + "10;ext=" + std::string(1 << 20, 'a') + "\r\n",
                                    head + std::string(1 << 20, '0') + "1\r\n",
                                    head + "0\r\nX-Trailer: " + std::string(1 << 20, 'a') + "\r\n\r\n"}) {
    TestConnection c(server.port());
    c.Write(attack.substr(0, 200000));  // the server answers long before the rest could matter
    HttpResult r = c.Read();
    EXPECT_EQ(r.status, 431) << attack.substr(0, 80);
    EXPECT_NE(r.body.find("chunk metadata"), std::string::npos) << r.body;
  }
}

// Bodies held at once are bounded across all connections (200 clients each holding an unfinished 4 MiB
// body cost +807 MiB): past the bound a request is refused with 503 and Retry-After, and once the others
// finish the next one is served.
TEST(HttpServer, InFlightBodyMemoryIsBoundedAcrossConnections) {
  ServerSettings s = TestSettings();
  s.body_limit = 40000;
  s.max_inflight_body = 64 * 1024;
  TestServer server(s);
  const std::string body = TendinopathyRequest() + std::string(30000 - TendinopathyRequest().size(), ' ');
  auto start = [&](TestConnection& c) {
    c.Write("POST " + kServicePath + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 100));
  };
  TestConnection a(server.port()), b(server.port()), over(server.port());
  start(a);
  start(b);
  std::this_thread::sleep_for(100ms);
  start(over);  // 3 × 30 KB > 64 KiB
  HttpResult refused = over.Read();
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.header("retry-after"), "1");
  EXPECT_NE(refused.body.find("too many request bodies"), std::string::npos) << refused.body;
  a.Write(body.substr(100));
  EXPECT_EQ(a.Read().status, 200);
  b.Write(body.substr(100));
  EXPECT_EQ(b.Read().status, 200);
  // The budget was released: a new request fits again.
  EXPECT_EQ(Post(server.port(), kServicePath, body).status, 200);
}

TEST(HttpServer, ConnectionsAreBounded) {
  ServerSettings s = TestSettings();
  s.max_connections = 3;
  TestServer server(s);
  std::vector<std::unique_ptr<TestConnection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<TestConnection>(server.port()));
    held.back()->Write(RawRequest("GET", "/healthz"));
    ASSERT_EQ(held.back()->Read().status, 200);  // served, and kept alive
  }
  TestConnection over(server.port());
  HttpResult r = over.Read();
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("retry-after"), "1");
  EXPECT_TRUE(over.ClosedByPeer());
  held.clear();  // the others leave: room again
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(Get(server.port(), "/healthz").status, 200);
}

// After a refusal the drain has one deadline: a client dripping a byte at a time cannot keep the
// connection (it re-armed the deadline on every byte before).
TEST(HttpServer, ADripAfterARefusalDoesNotKeepTheConnection) {
  ServerSettings s = TestSettings();
  s.body_limit = 4096;
  TestServer server(s);
  TestConnection c(server.port());
  c.Write("POST " + kServicePath + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 999999\r\n\r\n");
  ASSERT_EQ(c.Read().status, 413);
  std::atomic<bool> done{false};
  std::thread drip([&] {
    for (int i = 0; i < 100 && !done; ++i) {  // up to 10 s of one byte every 100 ms
      try {
        c.Write("x");
      } catch (const std::exception&) {
        return;
      }
      std::this_thread::sleep_for(100ms);
    }
  });
  const bool closed = c.ClosedByPeer(6000ms);
  done = true;
  drip.join();
  EXPECT_TRUE(closed) << "the connection outlived the 2 s linger";
}

// Accepting lives on its own thread: a long request on an I/O thread must not delay a new connection that
// another I/O thread can serve (accept ran on I/O thread 0, so it waited for that request: 13.6 s).
TEST(HttpServer, ALongRequestDoesNotDelayNewConnections) {
  ServerSettings s = TestSettings();
  s.threads = 2;
  s.body_limit = 16 * 1024 * 1024;
  s.max_inflight_body = 32 * 1024 * 1024;
  TestServer server(s);
  std::vector<std::string> conditions;
  for (int i = 0; i < 25000; ++i) {
    conditions.push_back(Condition("c" + std::to_string(i), kIcd10Cm, "M76.62",
                                   "Achilles tendinitis, left leg, a long text to make the work heavier " +
                                       std::to_string(i)));
  }
  const std::string heavy = PatientView(WithConditions(conditions));
  std::atomic<int> order{0};
  int heavy_done = 0, light_done = 0;
  TestConnection slow(server.port());  // the first connection goes to I/O thread 0
  slow.Write(RawRequest("POST", kServicePath, heavy));
  std::thread waiter([&] {
    EXPECT_EQ(slow.Read().status, 200);
    heavy_done = ++order;
  });
  std::this_thread::sleep_for(10ms);  // thread 0 is busy with it now
  HttpResult light = Get(server.port(), "/healthz");
  light_done = ++order;
  waiter.join();
  EXPECT_EQ(light.status, 200);
  EXPECT_LT(light_done, heavy_done) << "the new connection waited for the long request";
}

}  // namespace
}  // namespace cds::hooks
