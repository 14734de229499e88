// What recording costs a call, in process and on one core: the patient-view benchmark request through the
// whole pipeline N times with the card log off, into SQLite, and (ACHILLES_BENCH_PG_URL set) into
// PostgreSQL — the clock stops only once the writer has committed every card (Flush), so the writer's work
// is in the figure. Run it pinned to one CPU (bench/run.sh does: taskset -c 0) and the writer competes
// with the calls for that core, as in a one-core deployment. Modes alternate over rounds; the median round
// is reported, as a ratio to recording off in the same run. Two workloads: every call a card (the worst
// case), and one call in ten (nine charts without an Achilles condition, patient-view-quiet.json, to each
// tendinopathy chart). Figures, not assertions.
//   audit_bench [CALLS=100000] [ROUNDS=3]
//   audit_bench count off|queue|sqlite N [mix]   (N calls in one mode, for valgrind --tool=callgrind)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <time.h>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "audit/pseudonym.h"
#include "audit/recorder.h"
#include "audit/snooze.h"
#include "audit/store.h"
#include "bench/bench_requests.h"
#include "hooks/audit_log.h"

namespace {

using namespace cds;

struct Mode {
  std::string name;
  std::unique_ptr<audit::ResponseIndex> responses;
  std::unique_ptr<audit::Recorder> recorder;
  std::unique_ptr<hooks::AuditLog> log;
  // Per workload: wall time and process CPU time (every thread: the work, without waiting) per call.
  std::map<std::string, std::vector<double>> us_per_call, cpu_us_per_call;
};

double CpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// A store that keeps nothing: what the request thread and the queue cost, without a database.
class NullStore final : public audit::Store {
 public:
  void Write(const std::vector<audit::Event>& events) override { rows_ += static_cast<long>(events.size()); }
  int SchemaVersion() override { return 0; }
  long CountCards() override { return rows_; }
  long CountFeedback() override { return 0; }
  Rows Query(const char*, const std::vector<std::string>&) override { return {}; }

 private:
  long rows_ = 0;
};

std::unique_ptr<Mode> Recording(const std::string& name, const std::string& url, const std::string& journal_dir) {
  auto m = std::make_unique<Mode>();
  m->name = name;
  m->responses = std::make_unique<audit::ResponseIndex>();
  audit::Recorder::Options o;
  o.journal_dir = journal_dir;  // as the service runs: each card journaled as it is queued
  audit::ResponseIndex* index = m->responses.get();
  o.follow = [index](audit::Store& s) { index->Follow(s, std::time(nullptr)); };
  m->recorder = std::make_unique<audit::Recorder>(url.empty() ? std::make_unique<NullStore>() : audit::OpenStore(url),
                                                  std::move(o));
  m->log = std::make_unique<hooks::AuditLog>(m->recorder.get(), audit::Pseudonymizer(std::string(64, 'b')),
                                             m->responses.get());
  return m;
}

// The calls of a round, in turn: {request} for every call a card, or nine quiet charts and one with a card.
using Workload = std::vector<std::string>;

// Runs `calls` calls; returns {wall, CPU} µs per call.
std::pair<double, double> Round(Mode& m, long calls, const Workload& requests) {
  hooks::ResponseOptions options = bench::Options();
  options.audit = m.log.get();
  const fhir::Date today = fhir::Date::FromYmd(2026, 11, 28);
  std::string body, out;
  const double cpu = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < calls; ++i) {
    body.assign(requests[static_cast<std::size_t>(i) % requests.size()]);
    out.clear();
    auto ok = hooks::HandleServiceCall(bench::Engine(), "achilles-patient-view", body, today, options, out);
    if (!ok || out.rfind("{\"cards\":[", 0) != 0) {
      std::fprintf(stderr, "audit_bench: the request was refused\n");
      std::exit(1);
    }
  }
  if (m.recorder && !m.recorder->Flush(std::chrono::seconds(120))) std::fprintf(stderr, "audit_bench: flush timed out\n");
  const double wall = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  return {wall / static_cast<double>(calls), (CpuSeconds() - cpu) * 1e6 / static_cast<double>(calls)};
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string card = bench::ReadRequest("patient-view.json");
  const Workload every{card};
  Workload mix(9, bench::ReadRequest("patient-view-quiet.json"));
  mix.push_back(card);
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("audit_bench." + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  if (argc > 1 && std::string(argv[1]) == "count") {
    // audit_bench count off|queue|sqlite N: N calls in one mode, then everything committed — for callgrind,
    // whose instruction counts (every thread, user space) do not move with the machine's load.
    const bool mixed = argc == 5 && std::string(argv[4]) == "mix";
    const bool usable = (argc == 4 || mixed) && std::atol(argv[3]) > 0;
    const std::string mode = usable ? argv[2] : "";
    std::unique_ptr<Mode> m;
    if (mode == "off") {
      m = std::make_unique<Mode>();
    } else if (mode == "queue" || mode == "sqlite") {
      m = Recording(mode, mode == "sqlite" ? "sqlite:" + (dir / "audit.db").string() : "", dir.string());
    } else {
      std::fprintf(stderr, "usage: audit_bench count off|queue|sqlite N [mix]\n");
      std::filesystem::remove_all(dir);
      return 2;
    }
    Round(*m, std::atol(argv[3]), mixed ? mix : every);
    m.reset();
    std::filesystem::remove_all(dir);
    return 0;
  }
  const long calls = argc > 1 ? std::atol(argv[1]) : 100'000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  std::vector<std::unique_ptr<Mode>> modes;
  modes.push_back(std::make_unique<Mode>());
  modes.back()->name = "off";
  modes.push_back(Recording("queue only (no store)", "", dir.string()));
  modes.push_back(Recording("sqlite", "sqlite:" + (dir / "audit.db").string(), dir.string()));
  if (const char* pg = std::getenv("ACHILLES_BENCH_PG_URL"); pg != nullptr && *pg != '\0') {
    modes.push_back(Recording("postgresql", pg, dir.string()));
  }
  if (const char* only = std::getenv("ACHILLES_BENCH_ONLY"); only != nullptr && *only != '\0') {  // for a profiler
    modes.erase(std::remove_if(modes.begin() + 1, modes.end(), [only](const auto& m) { return m->name != only; }),
                modes.end());
  }
  const std::vector<std::pair<std::string, const Workload*>> workloads = {
      {"every call a card", &every}, {"1 call in 10 a card", &mix}};
  for (const auto& [name, requests] : workloads) {  // warm up: caches, the database's first pages
    for (auto& m : modes) Round(*m, calls / 10, *requests);
  }
  for (int r = 0; r < rounds; ++r) {
    for (const auto& [name, requests] : workloads) {
      for (auto& m : modes) {
        const auto [us, cpu] = Round(*m, calls, *requests);
        m->us_per_call[name].push_back(us);
        m->cpu_us_per_call[name].push_back(cpu);
      }
    }
  }
  std::printf("card log in process: patient-view, %ld calls a round, %d rounds, median; one core\n", calls, rounds);
  for (const auto& [name, requests] : workloads) {
    const double off = Median(modes[0]->us_per_call[name]);
    const double off_cpu = Median(modes[0]->cpu_us_per_call[name]);
    std::printf("%s:\n%-22s %12s %12s %14s %12s %14s\n", name.c_str(), "recording", "us/call", "calls/s", "ratio to off",
                "cpu us/call", "cpu ratio");
    for (auto& m : modes) {
      const double us = Median(m->us_per_call[name]), cpu = Median(m->cpu_us_per_call[name]);
      std::printf("%-22s %12.2f %12.0f %13.2fx %12.2f %13.2fx\n", m->name.c_str(), us, 1e6 / us, off / us, cpu,
                  off_cpu / cpu);
    }
  }
  for (auto& m : modes) {
    if (!m->recorder) continue;
    m->recorder->Stop();
    std::printf("%s: %ld card rows written, %ld dropped\n", m->name.c_str(), m->recorder->store().CountCards(),
                m->recorder->stats().dropped);
  }
  modes.clear();
  std::filesystem::remove_all(dir);
  return 0;
}
