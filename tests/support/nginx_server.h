// Debian's nginx as the load balancer in front of two replicas, for the scale-out tests: one worker on a free
// loopback port, running the shipped deploy/nginx/achilles-cds.conf (keep-alive to the replicas, a failed
// call retried once on the other) with loopback ports for the replicas' names; logs and temp files in a
// scratch folder; stopped with the object.
//
//   NginxServer lb({replica_a.port(), replica_b.port()});
//   HttpResult r = Post(lb.port(), "/cds-services/achilles-patient-view", body);
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/files.h"
#include "tests/support/process.h"

namespace cds::test {

class NginxServer {
 public:
  explicit NginxServer(const std::vector<uint16_t>& upstreams);
  ~NginxServer();
  bool ok() const { return port_ != 0; }
  uint16_t port() const { return port_; }
  const std::string& error() const { return error_; }
  // nginx's error log (what it retried, and why).
  std::string log() const;

 private:
  TempDir dir_;
  std::unique_ptr<BackgroundProcess> nginx_;
  uint16_t port_ = 0;
  std::string error_;
};

}  // namespace cds::test
