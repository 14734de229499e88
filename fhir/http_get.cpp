// HttpGetter on cpprestsdk: one http_client per origin (its connection pool), continuations only (a .get()
// on the pool's threads once deadlocked its listener), the body read in chunks so a huge answer is cut off
// at max_bytes rather than buffered, and OpenSSL verifying the peer's certificate and host name.
#include "fhir/http_get.h"

#include <openssl/x509_vfy.h>

#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/post.hpp>
#include <cpprest/http_client.h>
#include <pplx/threadpool.h>

#include <atomic>
#include <list>
#include <mutex>
#include <vector>

#include "fhir/result.h"

namespace cds::fhir {

namespace http = web::http;
namespace client = web::http::client;

struct HttpCancel::Impl {
  pplx::cancellation_token_source source;
};

HttpCancel::HttpCancel() : impl_(std::make_unique<Impl>()) {}
HttpCancel::~HttpCancel() = default;
void HttpCancel::Cancel() { impl_->source.cancel(); }
bool HttpCancel::cancelled() const { return impl_->source.get_token().is_canceled(); }

namespace {

// The pool is sized once per process, before its first use (cpprestsdk's own default is 40 threads).
void SizeThreadPool(unsigned threads) {
  static std::once_flag once;
  std::call_once(once, [threads] {
    try {
      crossplat::threadpool::initialize_with_threads(threads == 0 ? 1 : threads);
    } catch (const std::exception&) {
      // Already initialised by an earlier user of cpprestsdk in this process: keep that pool.
    }
  });
}

class AsioTimer final : public HttpTimer, public std::enable_shared_from_this<AsioTimer> {
 public:
  explicit AsioTimer(boost::asio::io_context& io) : timer_(io) {}
  void Start(std::chrono::milliseconds delay, std::function<void()> fire) {
    timer_.expires_after(delay);
    timer_.async_wait([self = shared_from_this(), fire = std::move(fire)](const boost::system::error_code& ec) {
      if (!ec && !self->cancelled_) fire();
    });
  }
  void Cancel() override {
    cancelled_ = true;
    boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
  }

 private:
  boost::asio::steady_timer timer_;
  std::atomic<bool> cancelled_{false};
};

// One request's body, read chunk by chunk.
struct BodyRead {
  concurrency::streams::streambuf<uint8_t> buffer;
  std::vector<uint8_t> chunk = std::vector<uint8_t>(64 * 1024);
  HttpGetResult result;
  std::size_t max_bytes = 0;
  std::shared_ptr<HttpCancel> cancel;
  std::function<void(HttpGetResult)> done;
};

void ReadMore(const std::shared_ptr<BodyRead>& read) {
  read->buffer.getn(read->chunk.data(), read->chunk.size()).then([read](pplx::task<size_t> t) {
    std::size_t n = 0;
    try {
      n = t.get();  // the task is complete: this does not wait
    } catch (const std::exception&) {
      read->result.error = read->cancel->cancelled() ? "cancelled" : "the connection failed while reading the body";
      return read->done(std::move(read->result));
    }
    if (n == 0) return read->done(std::move(read->result));
    if (read->result.body.size() + n > read->max_bytes) {
      read->result.error = "the answer is larger than " + std::to_string(read->max_bytes) + " bytes";
      read->result.too_large = true;
      read->cancel->Cancel();  // closes the connection: the rest is not read
      return read->done(std::move(read->result));
    }
    read->result.body.append(reinterpret_cast<const char*>(read->chunk.data()), n);
    ReadMore(read);
  });
}

// What went wrong, in words that name no content (the exception text of cpprestsdk can hold the URL).
std::string Describe(const std::exception& e, bool cancelled) {
  if (cancelled) return "cancelled";
  const std::string what = e.what();
  auto has = [&](const char* s) { return what.find(s) != std::string::npos; };
  if (has("certificate") || has("handshake") || has("ssl") || has("SSL")) return "TLS failed: the certificate was not trusted";
  if (has("Host not found") || has("not known")) return "the host name did not resolve";
  if (has("connect") || has("refused")) return "could not connect (refused or unreachable)";
  if (has("timed out") || has("timeout")) return "timed out";
  return "the request failed";
}

}  // namespace

// The certificate authorities every TLS connection trusts — the system's and the configured file's — parsed
// once. cpprestsdk makes a fresh SSL context per connection; each shares this store rather than re-reading
// the system bundle (~140 certificates) on every connection to a FHIR server or key set.
struct TrustStore {
  // Owned from the first line, so a constructor that throws (a bad CA file) frees what it had loaded.
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store{X509_STORE_new(), &X509_STORE_free};
  explicit TrustStore(const std::string& ca_file) {
    if (!store || X509_STORE_set_default_paths(store.get()) != 1) {
      throw ConfigError("OpenSSL default certificate paths", "", "cannot load the system's certificate authorities");
    }
    if (!ca_file.empty() && X509_STORE_load_file(store.get(), ca_file.c_str()) != 1) {
      throw ConfigError(ca_file, "", "cannot load trusted certificates (not a PEM file of certificates?)");
    }
  }
  // Makes `ctx` trust this store (a reference, not a copy).
  void Use(boost::asio::ssl::context& ctx) const {
    X509_STORE_up_ref(store.get());
    SSL_CTX_set_cert_store(ctx.native_handle(), store.get());
  }
};

struct HttpGetter::Impl {
  Options options;
  std::shared_ptr<const TrustStore> trust;
  std::mutex mu;
  // Most recently used first; at most options.max_origins.
  std::list<std::pair<std::string, std::shared_ptr<client::http_client>>> clients;

  std::shared_ptr<client::http_client> ClientFor(const web::uri& uri, std::chrono::milliseconds timeout) {
    const std::string origin = uri.scheme() + "://" + uri.host() + ":" + std::to_string(uri.port());
    std::lock_guard<std::mutex> lock(mu);
    for (auto it = clients.begin(); it != clients.end(); ++it) {
      if (it->first == origin) {
        clients.splice(clients.begin(), clients, it);
        return it->second;
      }
    }
    client::http_client_config config;
    config.set_validate_certificates(true);  // chain and host name (RFC 2818) are checked by OpenSSL
    config.set_max_redirects(0);             // a token is sent to fhirServer only, never where it redirects
    config.set_timeout(timeout);
    config.set_ssl_context_callback([trust = trust](boost::asio::ssl::context& ctx) { trust->Use(ctx); });
    web::uri_builder base;
    base.set_scheme(uri.scheme()).set_host(uri.host()).set_port(uri.port());
    auto c = std::make_shared<client::http_client>(base.to_uri(), config);
    clients.emplace_front(origin, c);
    if (clients.size() > options.max_origins) clients.pop_back();
    return c;
  }
};

HttpGetter::HttpGetter(Options options) : impl_(std::make_unique<Impl>()) {
  // A bad CA file fails at start-up, naming the file, rather than on every request.
  impl_->trust = std::make_shared<const TrustStore>(options.ca_file);
  SizeThreadPool(options.threads);
  impl_->options = std::move(options);
}

HttpGetter::~HttpGetter() = default;

void HttpGetter::Get(HttpGetRequest request, const std::shared_ptr<HttpCancel>& cancel,
                     std::function<void(HttpGetResult)> done) {
  std::shared_ptr<client::http_client> c;
  web::uri uri;
  try {
    uri = web::uri(request.url);
    if ((uri.scheme() != "https" && uri.scheme() != "http") || uri.host().empty()) throw std::invalid_argument("scheme");
    c = impl_->ClientFor(uri, request.timeout);
  } catch (const std::exception&) {
    HttpGetResult r;
    r.error = "not an absolute http(s) URL";
    return done(std::move(r));
  }
  http::http_request req(http::methods::GET);
  req.set_request_uri(uri.resource());
  req.headers().add(http::header_names::accept, request.accept);
  if (!request.bearer_token.empty()) req.headers().add(http::header_names::authorization, "Bearer " + request.bearer_token);

  auto read = std::make_shared<BodyRead>();
  read->max_bytes = request.max_bytes;
  read->cancel = cancel;
  read->done = std::move(done);
  c->request(req, cancel->impl().source.get_token()).then([read](pplx::task<http::http_response> t) {
    http::http_response response;
    try {
      response = t.get();  // complete: does not wait
    } catch (const std::exception& e) {
      read->result.error = Describe(e, read->cancel->cancelled());
      return read->done(std::move(read->result));
    }
    read->result.status = response.status_code();
    const auto length = response.headers().content_length();
    if (length > read->max_bytes) {
      read->result.error = "the answer is larger than " + std::to_string(read->max_bytes) + " bytes";
      read->result.too_large = true;
      read->cancel->Cancel();
      return read->done(std::move(read->result));
    }
    read->buffer = response.body().streambuf();
    ReadMore(read);
  });
}

std::shared_ptr<HttpTimer> HttpGetter::After(std::chrono::milliseconds delay, std::function<void()> fire) {
  auto timer = std::make_shared<AsioTimer>(crossplat::threadpool::shared_instance().service());
  timer->Start(delay, std::move(fire));
  return timer;
}

}  // namespace cds::fhir
