// Two streaming passes over the export's files on a few threads, then one evaluation per cohort patient.
// Each thread keeps what it found in maps of its own, merged after the pass: no lock on the line path.
#include "population/population_audit.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "cards/record.h"
#include "fhir/json_document.h"
#include "fhir/ndjson_reader.h"
#include "fhir/resource.h"

namespace cds::population {
namespace {

using Clock = std::chrono::steady_clock;

struct ExportFile {
  std::string name, path, type;
  uint64_t size = 0;
  bool gzip = false;
};

// A share of one file's work: the whole file, or the lines beginning in bytes [begin, end) of a large plain
// file, so that one big Condition file keeps every thread busy.
struct Part {
  const ExportFile* file = nullptr;
  uint64_t begin = 0, end = 0;
  bool whole = true;
};
std::vector<Part> Split(const std::vector<const ExportFile*>& files, uint64_t part_bytes) {
  std::vector<Part> parts;
  for (const ExportFile* f : files) {
    if (f->gzip || f->size <= 2 * part_bytes) {
      parts.push_back({f, 0, f->size, true});
      continue;
    }
    for (uint64_t b = 0; b < f->size; b += part_bytes) parts.push_back({f, b, std::min(f->size, b + part_bytes), false});
  }
  return parts;
}

// The orders a measure reads; Conditions are read in the first pass.
bool IsOrderType(const std::string& t) {
  return t == "MedicationRequest" || t == "ServiceRequest" || t == "Procedure" || t == "DeviceRequest";
}

// Bulk Data file names: Type.ndjson, Type.002.ndjson, Type_2.ndjson, each optionally .gz.
fhir::Result<std::vector<ExportFile>> ListExport(const std::string& dir) {
  static const std::regex kName(R"(^([A-Z][A-Za-z]+)([._-][A-Za-z0-9._-]*)?\.ndjson(\.gz)?$)");
  std::vector<ExportFile> files;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return fhir::MakeError(fhir::ErrorKind::kBadRequest, "cannot list " + dir + ": " + ec.message());
  for (const auto& entry : it) {
    std::smatch m;
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(ec) || !std::regex_match(name, m, kName)) continue;
    files.push_back({name, entry.path().string(), m[1].str(), static_cast<uint64_t>(entry.file_size(ec)), m[3].matched});
  }
  std::sort(files.begin(), files.end(), [](const ExportFile& a, const ExportFile& b) { return a.name < b.name; });
  return files;
}

// The Patient id a reference names ("Patient/123", ".../fhir/Patient/123/_history/2"), or "".
std::string_view PatientIdOf(std::string_view reference) {
  const std::size_t at = reference.rfind("Patient/");
  if (at == std::string_view::npos || (at > 0 && reference[at - 1] != '/')) return {};
  std::string_view id = reference.substr(at + 8);
  return id.substr(0, id.find('/'));
}

// One line parsed into a reused document; the text is copied first, so the reader's line stays as written
// (a kept line is stored as read).
class LineParser {
 public:
  // The resource, or nullptr with `problem` set.
  const fhir::JsonNode* Parse(const char* line, std::size_t length, std::string& problem) {
    text_.assign(line, length);
    doc_.SetNull();
    doc_.GetAllocator().Clear();
    auto ok = fhir::ParseInsitu(text_, doc_);
    if (!ok) {
      problem = "not a JSON resource: " + ok.error().message;
      return nullptr;
    }
    if (!doc_.IsObject()) {
      problem = "not a JSON object";
      return nullptr;
    }
    return fhir::Node(doc_);
  }

 private:
  std::string text_;
  rapidjson::Document doc_;
};

// What one thread found in one pass.
struct Found {
  std::unordered_map<std::string, std::vector<std::string>> lines;  // patient id → lines kept
  std::unordered_map<std::string, fhir::Date> onsets;               // pass 1: earliest tendinopathy onset
  std::vector<std::pair<std::size_t, FileProblem>> problems;        // part index, problem (line within the part)
  uint64_t lines_read = 0, lines_skipped = 0;
};

// Runs `work(file, found)` over the files on `jobs` threads, reporting progress; returns each thread's finds.
// Problems' line numbers are counted within their part; `part_lines` (lines each part read) turns them into
// lines of the file.
void NumberLines(const std::vector<Part>& parts, const std::vector<std::size_t>& part_lines,
                 std::vector<std::pair<std::size_t, FileProblem>>& problems) {
  std::vector<std::size_t> before(parts.size(), 0);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].file == parts[i - 1].file) before[i] = before[i - 1] + part_lines[i - 1];
  }
  for (auto& [part, p] : problems) p.line += before[part];
}

template <class Work>
std::vector<Found> ForEachFile(const std::vector<const ExportFile*>& files, unsigned jobs, int pass,
                               const PopulationOptions& options, Work work) {
  const std::vector<Part> parts = Split(files, std::max<uint64_t>(options.part_bytes, 1));
  jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(parts.size(), 1))));
  std::vector<Found> found(jobs);
  std::vector<std::size_t> part_lines(parts.size(), 0);  // each element written by the one thread reading it
  std::atomic<std::size_t> next{0}, done{0};  // done: files whose every part is read
  std::atomic<uint64_t> bytes_done{0};
  uint64_t bytes = 0;
  for (const ExportFile* f : files) bytes += f->size;
  std::unordered_map<const ExportFile*, std::atomic<std::size_t>> parts_left;
  for (const Part& p : parts) ++parts_left[p.file];
  // Largest shares first, so the last thread to finish is not the one that took the biggest file last.
  std::vector<std::size_t> order(parts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return parts[a].end - parts[a].begin > parts[b].end - parts[b].begin;
  });
  const auto start = Clock::now();
  std::mutex mu;
  std::condition_variable cv;
  bool finished = false;
  std::thread reporter;
  if (options.on_progress) {
    reporter = std::thread([&] {
      std::unique_lock<std::mutex> lock(mu);
      while (!cv.wait_for(lock, std::chrono::milliseconds(500), [&] { return finished; })) {
        options.on_progress(Progress{pass, done.load(), files.size(), bytes_done.load(), bytes,
                                     std::chrono::duration<double>(Clock::now() - start).count()});
      }
    });
  }
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < jobs; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i; (i = next++) < order.size();) {
        part_lines[order[i]] = work(parts[order[i]], order[i], found[t], bytes_done);
        if (--parts_left.at(parts[order[i]].file) == 0) ++done;
      }
    });
  }
  for (auto& th : threads) th.join();
  {
    std::lock_guard<std::mutex> lock(mu);
    finished = true;
  }
  cv.notify_all();
  if (reporter.joinable()) reporter.join();
  if (options.on_progress) {
    options.on_progress(Progress{pass, files.size(), files.size(), bytes, bytes,
                                 std::chrono::duration<double>(Clock::now() - start).count()});
  }
  for (Found& f : found) NumberLines(parts, part_lines, f.problems);
  return found;
}

// Reads one file line by line; `keep(resource, line, length, found)` decides what to do with each
// resource of the file's type. Bytes are counted as the file is consumed.
// Returns the lines the part holds (its line numbers' span).
template <class Keep>
std::size_t ReadPart(const Part& part, std::size_t index, Found& found, std::atomic<uint64_t>& bytes_done, Keep keep) {
  const ExportFile& file = *part.file;
  fhir::NdjsonReader reader = part.whole ? fhir::NdjsonReader(file.path)
                                         : fhir::NdjsonReader(file.path, part.begin, part.end);
  LineParser parser;
  std::string problem;
  uint64_t counted = part.begin;
  auto count_bytes = [&] {
    const uint64_t now = reader.file_offset();
    if (now > counted) bytes_done += now - counted;
    counted = now;
  };
  for (char* line; (line = reader.Next()) != nullptr;) {
    ++found.lines_read;
    if ((found.lines_read & 1023) == 0) count_bytes();
    const fhir::JsonNode* node = parser.Parse(line, reader.length(), problem);
    auto skip = [&](std::string why) {
      ++found.lines_skipped;
      found.problems.push_back({index, {file.name, reader.line_number(), std::move(why)}});
    };
    if (node == nullptr) {
      skip(problem);
      continue;
    }
    const fhir::Resource res(node);
    if (res.resource_type() != file.type) {
      skip(res.resource_type().empty() ? std::string("no resourceType")
                                       : "a " + std::string(res.resource_type()) + " in a " + file.type + " file");
      continue;
    }
    const std::string_view patient = PatientIdOf(res.subject_reference());
    if (patient.empty()) {
      skip("no subject or patient reference to a Patient");
      continue;
    }
    keep(res, patient, line, reader.length(), found);
  }
  if (!reader.error().empty()) found.problems.push_back({index, {file.name, reader.line_number(), reader.error()}});
  if (part.end > counted) bytes_done += part.end - counted;
  return reader.line_number();
}

}  // namespace

fhir::Result<PopulationResult> RunPopulationAudit(const PopulationOptions& options, const cards::Vocabulary& vocabulary,
                                                  const MeasureInputs& inputs) {
  auto listed = ListExport(options.dir);
  if (!listed) return listed.error();
  const auto start = Clock::now();
  PopulationResult result;
  std::vector<const ExportFile*> conditions, orders;
  for (const ExportFile& f : *listed) {
    if (f.type == "Condition") {
      conditions.push_back(&f);
    } else if (IsOrderType(f.type)) {
      orders.push_back(&f);
    } else {
      result.input.files_not_needed.push_back(f.name);
      continue;
    }
    result.input.bytes += f.size;
  }
  if (conditions.empty()) {
    return fhir::MakeError(fhir::ErrorKind::kBadRequest,
                           options.dir + " holds no Condition file (Condition.ndjson, Condition.002.ndjson.gz, …)");
  }
  result.input.files_read = conditions.size() + orders.size();

  // Pass 1: the Achilles conditions, with the shared fact builder deciding what is one.
  auto pass1 = ForEachFile(conditions, options.jobs, 1, options, [&](const Part& part, std::size_t index, Found& found,
                                                                     std::atomic<uint64_t>& bytes) {
    return ReadPart(part, index, found, bytes, [&](const fhir::Resource& res, std::string_view patient, const char* line,
                                     std::size_t length, Found& f) {
      cards::Record r;
      r.today = inputs.as_of;
      r.patient_id = patient;
      r.of(cards::DataKind::kConditions).push_back(res);
      const cards::Facts facts = cards::BuildFacts(r, vocabulary, 0);
      bool achilles = false;
      for (const cards::ConditionFact& c : facts.conditions) achilles |= c.kind != cards::ConditionKind::kTransplant;
      if (!achilles) return;
      const std::string id(patient);
      f.lines[id].emplace_back(line, length);
      if (auto onset = CohortOnset(facts)) {
        auto [it, fresh] = f.onsets.emplace(id, *onset);
        if (!fresh && *onset < it->second) it->second = *onset;
      }
    });
  });

  // The cohort: earliest tendinopathy onset (over every thread's finds) in the period.
  std::unordered_map<std::string, fhir::Date> onsets;
  for (Found& f : pass1) {
    for (auto& [id, d] : f.onsets) {
      auto [it, fresh] = onsets.emplace(id, d);
      if (!fresh && d < it->second) it->second = d;
    }
  }
  std::unordered_map<std::string, std::vector<std::string>> kept;
  for (const auto& [id, d] : onsets) {
    if (d >= options.from && d <= options.to) kept.emplace(id, std::vector<std::string>{});
  }
  auto absorb = [&](std::vector<Found>& pass) {
    for (Found& f : pass) {
      for (auto& [id, lines] : f.lines) {
        auto it = kept.find(id);
        if (it == kept.end()) continue;
        for (auto& l : lines) it->second.push_back(std::move(l));
      }
      result.input.lines += f.lines_read;
      result.input.lines_skipped += f.lines_skipped;
      for (auto& p : f.problems) result.input.problems.push_back(std::move(p.second));
      f = Found{};  // the non-cohort patients' lines go now
    }
  };
  absorb(pass1);

  // Pass 2: only the cohort's orders are kept.
  auto pass2 = ForEachFile(orders, options.jobs, 2, options, [&](const Part& part, std::size_t index, Found& found,
                                                                 std::atomic<uint64_t>& bytes) {
    return ReadPart(part, index, found, bytes, [&](const fhir::Resource&, std::string_view patient, const char* line,
                                     std::size_t length, Found& f) {
      const std::string id(patient);
      if (kept.count(id) != 0) f.lines[id].emplace_back(line, length);
    });
  });
  absorb(pass2);

  // Each cohort patient judged on its own lines, spread over the same threads.
  std::vector<std::pair<const std::string*, std::vector<std::string>*>> patients;
  patients.reserve(kept.size());
  for (auto& [id, lines] : kept) patients.emplace_back(&id, &lines);
  std::vector<CohortPatient> cohort(patients.size());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  const unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(std::max<std::size_t>(patients.size(), 1))));
  for (unsigned t = 0; t < jobs; ++t) {
    threads.emplace_back([&] {
      for (std::size_t i; (i = next++) < patients.size();) {
        std::vector<std::unique_ptr<rapidjson::Document>> docs;
        std::vector<fhir::Resource> resources;
        for (std::string& line : *patients[i].second) {
          auto doc = std::make_unique<rapidjson::Document>();
          if (!fhir::ParseInsitu(line, *doc) || !doc->IsObject()) continue;  // parsed once already
          resources.emplace_back(fhir::Node(*doc));
          docs.push_back(std::move(doc));
        }
        cohort[i].id = *patients[i].first;
        cohort[i].outcome = EvaluatePatient(resources, cohort[i].id, vocabulary, inputs);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::sort(cohort.begin(), cohort.end(), [](const CohortPatient& a, const CohortPatient& b) {
    return a.outcome.onset != b.outcome.onset ? a.outcome.onset < b.outcome.onset : a.id < b.id;
  });
  result.cohort = std::move(cohort);
  std::sort(result.input.problems.begin(), result.input.problems.end(), [](const FileProblem& a, const FileProblem& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  result.input.problems_total = result.input.problems.size();
  if (result.input.problems.size() > InputStats::kMaxProblems) result.input.problems.resize(InputStats::kMaxProblems);
  result.input.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace cds::population
