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

}  // namespace
}  // namespace cds::hooks
