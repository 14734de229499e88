// The HTTP/1.1 server (Boost.Beast on Boost.Asio): keep-alive and pipelining, body/header limits, bounded
// connections and in-flight body memory, idle/read/write timeouts, Expect: 100-continue, graceful shutdown,
// and HTTPS when the settings name a certificate (SIGHUP reloads it). It only adapts bytes to the Router:
// no routing or protocol logic lives here.
//
//   HttpServer server(settings, router);
//   auto port = server.Listen();  // settings.port 0 → an ephemeral port
//   server.HandleSignals();       // SIGINT/SIGTERM stop it gracefully from now on
//   server.Run();                 // until stopped; in-flight requests finish first
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "fhir/result.h"
#include "hooks/router.h"
#include "hooks/server_settings.h"

namespace cds::hooks {

class HttpServer {
 public:
  HttpServer(const ServerSettings& settings, const Router& router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the TLS certificate and key when settings name them (HTTPS), binds and listens; returns the
  // bound port, or why it cannot serve (expression "tls" when the certificate or key is at fault).
  fhir::Result<uint16_t> Listen();
  // Serves until Stop() — or SIGINT/SIGTERM after HandleSignals() — and every connection has finished (or
  // the shutdown grace has passed). Returns false when a worker was still busy past the grace and ~2 s
  // more: its thread is left running, so the caller must end the process (std::_Exit) instead of
  // destroying the server.
  bool Run();
  // Takes SIGINT, SIGTERM and SIGHUP now (Run acts on them; one arriving before Run is kept for it), so a
  // process that says it listens can be stopped gracefully from that moment on. `on_hangup` runs on SIGHUP
  // (on the control thread, never an I/O thread).
  void HandleSignals(std::function<void()> on_hangup = {});
  // Graceful stop from any thread: no new connections, idle ones closed, in-flight requests answered.
  void Stop();

  // I/O threads Run() will use: settings.threads, or the CPUs this process may run on.
  unsigned threads() const;
  // Serving HTTPS (after Listen()).
  bool secure() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cds::hooks
