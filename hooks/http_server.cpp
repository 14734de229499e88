// Beast server. One io_context per I/O thread (no locks on the request path), and one control thread of its
// own for accepting connections and handling signals, so a long request on an I/O thread never delays a
// new connection or a SIGHUP. The request parser is a beast::http::basic_parser that keeps only the fields
// the router reads, in buffers reused across requests, so a steady keep-alive connection does not allocate
// per request. Memory is bounded: connections (maxConnections), request bodies held at once across all
// connections (maxInFlightBodyBytes: a body reserves its share before it is buffered), and per-connection
// unparsed bytes (header limit plus one read: chunk-size lines, chunk extensions and trailers cannot grow
// past it). Over a bound the client gets a 503 with Retry-After, never an unbounded wait.
#include "hooks/http_server.h"

#include <malloc.h>
#include <sched.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_set>
#include <vector>

#include <openssl/ssl.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "hooks/http_request_parser.h"
#include "hooks/log.h"

namespace cds::hooks {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using beast::error_code;
using TlsStream = net::ssl::stream<tcp::socket>;

constexpr std::size_t kReadChunk = 16 * 1024;  // a typical CDS request (5–6 KB) arrives in one read
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 1024 * 1024;  // at most this much unread body is drained before closing
constexpr std::size_t kKeepCapacity = 64 * 1024;  // per-connection buffers above this are released when idle

struct Shared {
  const ServerSettings& settings;
  const Router& router;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connections{0};
  BodyBudget bodies{settings.max_inflight_body};  // bytes reserved by request bodies, all connections
  std::atomic<int64_t> trimmed_ms{0};

  // The last connection closed: give the heap a burst of connections took back to the system (glibc keeps
  // freed memory otherwise: 1,024 connections left 40 MB behind). At most once a second — with clients that
  // connect per request the count touches zero often — and only when no connection is open, so no request
  // waits for it.
  void Idle() {
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
    int64_t last = trimmed_ms.load(std::memory_order_relaxed);
    if (now - last < 1000 || !trimmed_ms.compare_exchange_strong(last, now)) return;
    ::malloc_trim(0);
  }
};

// What shutdown needs of a connection, plain or TLS.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void OnStop() = 0;
};

struct Worker {
  // Declared before ctx so it outlives the handlers (and sessions) ctx destroys on a forced stop.
  std::unordered_set<SessionBase*> sessions;  // touched only on this worker's thread
  net::io_context ctx{1};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> guard;
  std::thread thread;
};

// One line for every answer that is not 2xx: the status, the error kind, the service, the field the
// OperationOutcome names, and how long it took — never a patient identifier, resource content or token.
void LogRefusal(const HttpResponse& r, long microseconds, std::string_view request_id) {
  if (r.status < 300) return;
  RequestLine line;
  line.event = "refused";
  line.service = r.service;
  line.status = r.status;
  line.error = r.error_kind != nullptr ? std::string_view(r.error_kind) : std::string_view();
  line.field = r.error_field;
  line.detail = r.log_detail;
  line.duration_us = microseconds;
  line.request_id = request_id;
  LogRequest(line);
}

// X-Request-Id as a caller sent it, when it is a plain token (letters, digits, '-', '_', '.'; at most 64):
// anything else is replaced, never logged.
bool UsableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// 16 hex digits, random per process and counted per thread: unique enough to find one request's lines.
void NewRequestId(std::string& out) {
  thread_local uint64_t state = [] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }();
  state += 0x9e3779b97f4a7c15ull;  // splitmix64
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  static const char kHex[] = "0123456789abcdef";
  out.resize(16);
  for (int i = 15; i >= 0; --i, z >>= 4) out[static_cast<std::size_t>(i)] = kHex[z & 15];
}

// One connection. `Stream` is a tcp::socket (plain HTTP) or a TlsStream over one (HTTPS): the template keeps
// the plain path free of any TLS indirection.
template <class Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  // `tls` keeps the TLS context this connection was made with alive across a certificate reload.
  Session(Stream stream, Worker& worker, Shared& shared, std::shared_ptr<net::ssl::context> tls = nullptr)
      : stream_(std::move(stream)),
        tls_(std::move(tls)),
        timer_(worker.ctx),
        worker_(worker),
        shared_(shared),
        buffer_(shared.settings.header_limit + 2 * kReadChunk) {
    ++shared_.connections;
  }
  ~Session() {
    worker_.sessions.erase(this);
    if (--shared_.connections == 0) shared_.Idle();
  }

  void Start(bool over_capacity) {
    worker_.sessions.insert(this);
    error_code ec;
    Socket().set_option(tcp::no_delay(true), ec);
    const auto peer = Socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string(ec);  // metrics.allowFrom only; never logged
    started_ = std::chrono::steady_clock::now();
    if constexpr (kTls) {
      // The handshake counts against the read timeout: a client that connects and says nothing is closed.
      Arm(shared_.settings.read_timeout);
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this(), over_capacity](error_code ec) {
                                if (ec) return self->OnHandshakeError(ec);
                                self->handshaken_ = true;
                                self->Opened(over_capacity);
                              });
    } else {
      Opened(over_capacity);
    }
  }

  // Shutdown: an idle connection is closed now; a busy one after its response.
  void OnStop() override {
    if (!busy_) {
      error_code ec;
      Socket().cancel(ec);
    }
  }

 private:
  tcp::socket& Socket() { return beast::get_lowest_layer(stream_); }

  void Opened(bool over_capacity) {
    if (over_capacity) {
      return Refuse(fhir::MakeError(fhir::ErrorKind::kOverloaded,
                                    "Too many connections; retry shortly (Retry-After gives seconds)"));
    }
    WaitForRequest();
  }

  // A client that connected and left (a load balancer's TCP probe) or timed out is not news; anything else
  // — plain HTTP to the HTTPS port, no shared protocol version or cipher — is logged for the operator
  // (OpenSSL's reason only: no peer address, nothing the client sent).
  void OnHandshakeError(error_code ec) {
    if (ec != net::error::eof && ec != net::error::operation_aborted && ec != net::error::connection_reset &&
        ec != net::ssl::error::stream_truncated) {
      LogInfo("TLS handshake failed: %s", ec.message().c_str());
    }
    Close();
  }

  void WaitForRequest() {
    busy_ = false;
    if (shared_.stopping) return Close();
    if (buffer_.size() > 0) return ReadHeader();  // a pipelined request is already here
    // A keep-alive connection that once carried a multi-megabyte body does not keep that memory.
    if (body_.capacity() > kKeepCapacity) std::string().swap(body_);
    if (buffer_.capacity() > kKeepCapacity) buffer_.shrink_to_fit();
    Arm(shared_.settings.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk), [self = this->shared_from_this()](error_code ec, std::size_t n) {
      self->buffer_.commit(n);
      if (ec) return self->Close();  // idle timeout, peer closed, or shutdown
      self->ReadHeader();
    });
  }

  void ReadHeader() {
    busy_ = true;
    started_ = std::chrono::steady_clock::now();
    body_.clear();
    target_.clear();
    content_type_.clear();
    origin_.clear();
    host_.clear();
    authorization_.clear();
    request_id_.clear();
    parser_.reset();  // releases the previous request's share of the body budget
    parser_.emplace(body_, shared_.bodies);
    parser_->target = &target_;
    parser_->content_type = &content_type_;
    parser_->origin = &origin_;
    parser_->host = &host_;
    parser_->authorization = &authorization_;
    parser_->request_id = &request_id_;
    parser_->header_limit(static_cast<std::uint32_t>(shared_.settings.header_limit));
    parser_->body_limit(shared_.settings.body_limit);
    parser_->eager(true);
    Arm(shared_.settings.read_timeout);  // one deadline for the whole request
    http::async_read_header(stream_, buffer_, *parser_, [self = this->shared_from_this()](error_code ec, std::size_t) {
      if (ec) return self->OnReadError(ec);
      self->OnHeader();
    });
  }

  void OnHeader() {
    // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host field, and to any request
    // with more than one.
    if (parser_->hosts > 1 || (parser_->version >= 11 && parser_->hosts == 0)) {
      return Refuse(fhir::MakeError(fhir::ErrorKind::kBadRequest,
                                    parser_->hosts > 1 ? "More than one Host header field (RFC 9112 §3.2)"
                                                       : "No Host header field (RFC 9112 §3.2)"));
    }
    // 100-continue exists from HTTP/1.1 on (RFC 9110 §10.1.1): an HTTP/1.0 client never waits for it.
    if (parser_->expect_continue && parser_->version >= 11 && !parser_->is_done()) return SendContinue();
    ReadBody();
  }

  void SendContinue() {
    static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
    net::async_write(stream_, net::buffer(kContinue, sizeof kContinue - 1),
                     [self = this->shared_from_this()](error_code ec, std::size_t) {
                       if (ec) return self->Close();
                       self->ReadBody();
                     });
  }

  void ReadBody() {
    if (parser_->is_done()) return Process();
    http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](error_code ec, std::size_t) {
      if (ec) return self->OnReadError(ec);
      self->Process();
    });
  }

  void OnReadError(error_code ec) {
    using fhir::ErrorKind;
    if (ec == net::error::operation_aborted && timed_out_) {
      if (!parser_ || !parser_->got_some()) return Close();
      return Refuse(fhir::MakeError(ErrorKind::kTimeout, "The request did not arrive within the read timeout"));
    }
    if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == http::error::partial_message) {
      return Close();
    }
    if (parser_ && parser_->over_budget) {
      return Refuse(fhir::MakeError(ErrorKind::kOverloaded,
                                    "The server is holding too many request bodies; retry shortly"));
    }
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      // buffer_overflow: a chunk-size line, chunk extension or trailer longer than the header limit.
      return Refuse(
          fhir::MakeError(ErrorKind::kHeaderTooLarge,
                          "Request header (or chunk metadata) larger than " +
                              std::to_string(shared_.settings.header_limit) + " bytes"));
    }
    if (ec == http::error::body_limit) {
      return Refuse(
          fhir::MakeError(ErrorKind::kPayloadTooLarge,
                          "Request body larger than " + std::to_string(shared_.settings.body_limit) + " bytes"));
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
      return Refuse(fhir::MakeError(ErrorKind::kBadRequest, "Malformed HTTP request: " + ec.message()));
    }
    Close();
  }

  long Elapsed() const {
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count());
  }

  // A protocol-level error: answer it, then close (the rest of the stream cannot be trusted).
  void Refuse(const fhir::Error& error) {
    busy_ = true;
    response_.Reset();
    shared_.router.Fail(error, origin_, response_);  // (a 503 gets its Retry-After there)
    const long us = Elapsed();
    if (!UsableRequestId(request_id_)) NewRequestId(request_id_);
    LogRefusal(response_, us, request_id_);
    shared_.router.Observe(response_, std::chrono::microseconds(us));
    if (parser_) parser_->ReleaseBudget();
    Write(/*keep_alive=*/false, /*head_only=*/false, /*linger=*/true);
  }

  void Process() {
    HttpRequest request{parser_->method, target_, content_type_, origin_, host_, &body_, authorization_, kTls, remote_};
    response_.Reset();
    Guarded([&] { shared_.router.Handle(request, response_); });
    if (response_.wait) return Wait();
    Respond();
  }

  // Runs a step of the router; an exception is our bug, not the caller's: a 500, and the server keeps serving.
  template <class Step>
  void Guarded(Step step) {
    try {
      step();
    } catch (const std::exception& e) {
      LogError("internal error while handling a request: %s", e.what());
      response_.Reset();
      shared_.router.Fail(fhir::MakeError(fhir::ErrorKind::kInternal, "Internal error; the service log has details"),
                          origin_, response_);
    }
  }

  // The answer waits for the FHIR server. The work guard keeps this worker's loop running until the call
  // resumes (its fetch deadline is well inside the shutdown grace); the resume only posts back here.
  void Wait() {
    auto wait = std::move(response_.wait);
    response_.wait = nullptr;
    auto guard = net::make_work_guard(worker_.ctx);
    bool started = false;
    Guarded([&] {
      // The resume runs on a FHIR client thread, which may keep (and later destroy) this closure after the
      // call has been answered — even after the server is gone. So the closure hands its session reference
      // and work guard over to the posted handler and keeps neither: a session is only ever destroyed on
      // its own worker's thread, and never after its worker.
      wait([self = this->shared_from_this(), guard]() mutable {
        net::io_context& ctx = self->worker_.ctx;
        net::post(ctx, [self = std::move(self), guard = std::move(guard)] {
          auto finish = std::move(self->response_.finish);
          self->response_.finish = nullptr;
          if (finish) self->Guarded([&] { finish(self->response_); });
          if (self->response_.wait) return self->Wait();  // one wait may lead to another (keys, then data)
          self->Respond();
        });
      });
      started = true;
    });
    if (!started) Respond();  // the wait itself failed: the 500 Guarded wrote
  }

  void Respond() {
    parser_->ReleaseBudget();  // the body is answered: its share of the budget is free for others
    const long us = Elapsed();
    if (!UsableRequestId(request_id_)) NewRequestId(request_id_);
    LogRefusal(response_, us, request_id_);
    shared_.router.Observe(response_, std::chrono::microseconds(us));
    if (shared_.router.access_log()) {
      // The path is logged only up to the service id; query strings never.
      RequestLine line;
      line.event = "access";
      line.method = parser_->method_name;
      line.path = std::string_view(target_).substr(0, std::min(target_.find('?'), std::size_t{96}));
      line.service = response_.service;
      line.status = response_.status;
      line.error = response_.error_kind != nullptr ? std::string_view(response_.error_kind) : std::string_view();
      line.duration_us = us;
      line.request_id = request_id_;
      LogRequest(line);
    }
    const bool keep_alive = parser_->keep_alive() && !shared_.stopping;
    Write(keep_alive, parser_->method == Method::kHead, false);
  }

  void Write(bool keep_alive, bool head_only, bool linger) {
    const HttpResponse& r = response_;
    head_.clear();
    head_.append("HTTP/1.1 ")
        .append(std::to_string(r.status))
        .append(" ")
        .append(ReasonPhrase(r.status))
        .append("\r\n");
    head_.append("Server: achilles-cds\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n");
    if (r.status != 204) {
      if (!r.body.empty()) head_.append("Content-Type: ").append(r.content_type).append("\r\n");
      head_.append("Content-Length: ").append(std::to_string(r.body.size())).append("\r\n");
    }
    for (std::size_t i = 0; i < r.header_count; ++i) {
      head_.append(r.headers[i].name).append(": ").append(r.headers[i].value).append("\r\n");
    }
    if (!request_id_.empty()) head_.append("X-Request-Id: ").append(request_id_).append("\r\n");
    if (!keep_alive) {
      head_.append("Connection: close\r\n");
    } else if (parser_ && parser_->version < 11) {
      head_.append("Connection: keep-alive\r\n");  // HTTP/1.0 closes unless the answer says otherwise
    }
    head_.append("\r\n");
    const std::array<net::const_buffer, 2> buffers{net::buffer(head_),
                                                   head_only ? net::const_buffer() : net::buffer(r.body)};
    Arm(shared_.settings.write_timeout);
    net::async_write(stream_, buffers, [self = this->shared_from_this(), keep_alive, linger](error_code ec, std::size_t) {
      if (ec) return self->Close();
      if (linger) return self->LingerClose();
      if (!keep_alive) return self->Close();
      self->WaitForRequest();
    });
  }

  // After refusing a request whose body we did not read, drain briefly so the peer reads our answer before
  // the close (closing with unread data would send a reset that can discard it). One deadline for the whole
  // drain and a cap on the bytes: a 1 byte/s drip cannot keep the connection open.
  void LingerClose() {
    if constexpr (!kTls) {  // TLS has no half-close: its close_notify comes with Close()
      error_code ec;
      Socket().shutdown(tcp::socket::shutdown_send, ec);
    }
    buffer_.clear();
    Arm(kLingerTimeout);
    Drain(0);
  }

  void Drain(std::size_t drained) {
    if (drained >= kLingerBytes) return Close();
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = this->shared_from_this(), drained](error_code ec, std::size_t n) {
                              if (ec || n == 0) return self->Close();
                              self->Drain(drained + n);
                            });
  }

  void Close() {
    if (parser_) parser_->ReleaseBudget();
    if constexpr (kTls) {
      // Say close_notify (so the client knows the answer was complete), bounded by a short deadline.
      if (handshaken_ && !closing_) {
        closing_ = true;
        Arm(kLingerTimeout);
        return stream_.async_shutdown([self = this->shared_from_this()](error_code) { self->CloseSocket(); });
      }
    }
    CloseSocket();
  }

  void CloseSocket() {
    error_code ec;
    timer_.cancel();
    Socket().shutdown(tcp::socket::shutdown_both, ec);
    Socket().close(ec);
  }

  // One deadline at a time: when it passes, pending I/O is cancelled (not the socket closed, so a 408 can
  // still be written). Re-arming replaces the previous deadline.
  template <class Duration>
  void Arm(Duration d) {
    timed_out_ = false;
    const uint64_t generation = ++deadline_generation_;
    timer_.expires_after(d);
    timer_.async_wait([self = this->shared_from_this(), generation](error_code ec) {
      if (ec || generation != self->deadline_generation_) return;
      self->timed_out_ = true;
      error_code ignored;
      self->Socket().cancel(ignored);
    });
  }

  Stream stream_;
  std::shared_ptr<net::ssl::context> tls_;
  bool handshaken_ = false, closing_ = false;
  net::steady_timer timer_;
  uint64_t deadline_generation_ = 0;
  bool timed_out_ = false;
  Worker& worker_;
  Shared& shared_;
  beast::flat_buffer buffer_;  // bounded: header limit plus two reads
  std::optional<RequestParser> parser_;
  std::string body_, target_, content_type_, origin_, host_, authorization_, head_;
  std::string remote_;      // the peer's address
  std::string request_id_;  // X-Request-Id: the caller's (when usable) or made up; echoed in the answer
  HttpResponse response_;
  bool busy_ = false;
  std::chrono::steady_clock::time_point started_;
};

// A server context from PEM files: TLS 1.2 or later, no compression or renegotiation, the key checked against
// the certificate so a mismatch is a start-up error rather than every handshake failing.
fhir::Result<std::shared_ptr<net::ssl::context>> MakeTlsContext(const std::string& cert, const std::string& key) {
  auto fail = [](std::string what) { return fhir::MakeError(fhir::ErrorKind::kInternal, std::move(what), "tls"); };
  auto ctx = std::make_shared<net::ssl::context>(net::ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  error_code ec;
  ctx->use_certificate_chain_file(cert, ec);
  if (ec) return fail("cannot use the TLS certificate " + cert + ": " + ec.message());
  ctx->use_private_key_file(key, net::ssl::context::pem, ec);
  if (ec) return fail("cannot use the TLS private key " + key + " with the certificate " + cert + ": " + ec.message());
  if (SSL_CTX_check_private_key(native) != 1) {
    return fail("the TLS private key " + key + " does not belong to the certificate " + cert);
  }
  return ctx;
}

unsigned UsableCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return static_cast<unsigned>(CPU_COUNT(&set));
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

}  // namespace

struct HttpServer::Impl {
  Impl(const ServerSettings& s, const Router& r) : shared{s, r} {
    const unsigned n = s.threads != 0 ? s.threads : UsableCpus();
    for (unsigned i = 0; i < n; ++i) workers.push_back(std::make_unique<Worker>());
    acceptor.emplace(control.ctx);
    retry_timer.emplace(control.ctx);
  }

  void Accept() {
    Worker& target = *workers[next++ % workers.size()];
    acceptor->async_accept(target.ctx, [this, &target](error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor->is_open()) return;
      if (ec) {
        // Out of descriptors or similar: log (no peer details), back off, keep serving.
        LogError("accept failed: %s", ec.message().c_str());
        retry_timer->expires_after(std::chrono::milliseconds(100));
        retry_timer->async_wait([this](error_code) {
          if (acceptor->is_open()) Accept();
        });
        return;
      }
      // Over the connection bound the connection is answered 503 (Retry-After) and closed, not left waiting.
      const bool over = shared.connections.load() >= shared.settings.max_connections;
      if (tls) {
        auto session = std::make_shared<Session<TlsStream>>(TlsStream(std::move(socket), *tls), target, shared, tls);
        net::post(target.ctx, [session, over] { session->Start(over); });
      } else {
        auto session = std::make_shared<Session<tcp::socket>>(std::move(socket), target, shared);
        net::post(target.ctx, [session, over] { session->Start(over); });
      }
      Accept();
    });
  }

  void ArmSignals(std::function<void()> on_hangup) {
    signals->async_wait([this, on_hangup](error_code ec, int signo) {
      if (ec) return;
      if (signo == SIGHUP) {
        if (tls) ReloadTls();
        if (on_hangup) on_hangup();
        return ArmSignals(on_hangup);
      }
      LogInfo("signal %d: shutting down; in-flight requests finish first", signo);
      Stop();
    });
  }

  // A renewed certificate is taken on SIGHUP; new connections use it, open ones keep theirs. Runs on the
  // control thread, like Accept, which reads `tls`.
  void ReloadTls() {
    auto loaded = MakeTlsContext(shared.settings.tls_cert_file, shared.settings.tls_key_file);
    if (!loaded) {
      LogError("TLS certificate reload failed, keeping the running certificate: %s", loaded.error().message.c_str());
      return;
    }
    tls = std::move(*loaded);
    LogInfo("TLS certificate reloaded");
  }

  void Stop() {
    if (shared.stopping.exchange(true)) return;
    net::post(control.ctx, [this] {
      error_code ec;
      acceptor->close(ec);
      retry_timer->cancel();
      if (signals) signals->cancel(ec);
      control.guard.reset();
    });
    for (auto& w : workers) {
      net::post(w->ctx, [worker = w.get()] {
        for (SessionBase* s : worker->sessions) s->OnStop();
        worker->guard.reset();
      });
    }
    std::lock_guard<std::mutex> lock(mu);
    stop_requested = true;
    cv.notify_all();
  }

  Shared shared;
  std::vector<std::unique_ptr<Worker>> workers;
  // Accept, signals, accept back-off: never a request. Declared after the workers so it is destroyed first:
  // a pending accept holds a socket of a worker's io_context.
  Worker control;
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::steady_timer> retry_timer;
  std::optional<net::signal_set> signals;
  std::shared_ptr<net::ssl::context> tls;  // HTTPS when set; touched only on the control thread once running
  std::size_t next = 0;
  std::mutex mu;
  std::condition_variable cv;
  unsigned running = 0;
  bool stop_requested = false;
};

HttpServer::HttpServer(const ServerSettings& settings, const Router& router)
    : impl_(std::make_unique<Impl>(settings, router)) {}
HttpServer::~HttpServer() {
  Stop();
  if (impl_->control.thread.joinable()) impl_->control.thread.join();
  for (auto& w : impl_->workers) {
    if (w->thread.joinable()) w->thread.join();
  }
}

unsigned HttpServer::threads() const { return static_cast<unsigned>(impl_->workers.size()); }

bool HttpServer::secure() const { return impl_->tls != nullptr; }

fhir::Result<uint16_t> HttpServer::Listen() {
  const ServerSettings& s = impl_->shared.settings;
  if (s.tls_cert_file.empty() != s.tls_key_file.empty()) {
    return fhir::MakeError(fhir::ErrorKind::kInternal, "HTTPS needs both a certificate and its private key", "tls");
  }
  if (!s.tls_cert_file.empty()) {
    auto tls = MakeTlsContext(s.tls_cert_file, s.tls_key_file);
    if (!tls) return tls.error();
    impl_->tls = std::move(*tls);
  }
  error_code ec;
  const auto address = net::ip::make_address(impl_->shared.settings.address, ec);
  if (ec)
    return fhir::MakeError(fhir::ErrorKind::kInternal, "invalid listen address " + impl_->shared.settings.address);
  const tcp::endpoint endpoint(address, impl_->shared.settings.port);
  tcp::acceptor& a = *impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return fhir::MakeError(fhir::ErrorKind::kInternal, "cannot listen on " + impl_->shared.settings.address + ":" +
                                                           std::to_string(impl_->shared.settings.port) + ": " +
                                                           ec.message());
  }
  return a.local_endpoint().port();
}

void HttpServer::HandleSignals(std::function<void()> on_hangup) {
  Impl& m = *impl_;
  if (m.signals) return;
  m.signals.emplace(m.control.ctx, SIGINT, SIGTERM, SIGHUP);
  m.ArmSignals(std::move(on_hangup));
}

bool HttpServer::Run() {
  Impl& m = *impl_;
  if (m.shared.stopping) return true;
  m.Accept();
  {
    std::lock_guard<std::mutex> lock(m.mu);
    m.running = static_cast<unsigned>(m.workers.size());
  }
  m.control.guard.emplace(m.control.ctx.get_executor());
  m.control.thread = std::thread([&m] { m.control.ctx.run(); });
  for (auto& w : m.workers) {
    w->guard.emplace(w->ctx.get_executor());
    w->thread = std::thread([&m, worker = w.get()] {
      worker->ctx.run();
      std::lock_guard<std::mutex> lock(m.mu);
      --m.running;
      m.cv.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock(m.mu);
  m.cv.wait(lock, [&] { return m.stop_requested || m.running == 0; });
  bool clean = true;
  if (!m.cv.wait_for(lock, m.shared.settings.shutdown_grace, [&] { return m.running == 0; })) {
    LogError("shutdown grace of %ld ms passed; closing the remaining connections",
             static_cast<long>(m.shared.settings.shutdown_grace.count()));
    for (auto& w : m.workers) w->ctx.stop();
    // A worker still computing a response cannot be interrupted: give it the linger time, then leave it.
    clean = m.cv.wait_for(lock, kLingerTimeout, [&] { return m.running == 0; });
  }
  lock.unlock();
  m.control.ctx.stop();
  if (m.control.thread.joinable()) m.control.thread.join();
  // Stopping the control context may have overtaken the close that Stop() posted to it: close here too, now
  // that no thread runs it, so the port refuses connections as soon as Run() returns.
  error_code ec;
  m.acceptor->close(ec);
  m.retry_timer->cancel();
  if (m.signals) m.signals->cancel(ec);
  for (auto& w : m.workers) {
    if (!w->thread.joinable()) continue;
    if (clean) {
      w->thread.join();
    } else {
      w->thread.detach();  // the caller exits the process without destroying this server
    }
  }
  return clean;
}

void HttpServer::Stop() { impl_->Stop(); }

}  // namespace cds::hooks
