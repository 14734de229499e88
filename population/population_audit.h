// `achilles-cds audit population DIR`: reads a FHIR Bulk Data export (Type[.NNN].ndjson[.gz] files) in
// two streaming passes and judges each patient whose Achilles tendinopathy began in the period.
//   1. Condition files: the Achilles conditions of every patient (only those are kept); the cohort is the
//      patients whose tendinopathy onset falls in [from, to].
//   2. MedicationRequest, ServiceRequest, Procedure and DeviceRequest files: only the cohort's lines are kept.
// Memory grows with the cohort, never with the export. Files are spread over `jobs` threads. A malformed
// line, a resource of another type than its file's, or a truncated gzip is reported (file and line) and
// skipped; the rest is still read.
//
//   PopulationOptions o{"export/", from, to, as_of};
//   auto result = RunPopulationAudit(o, vocabulary, inputs);
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cards/vocabulary.h"
#include "fhir/date.h"
#include "fhir/result.h"
#include "population/measures.h"

namespace cds::population {

struct PopulationOptions {
  std::string dir;
  fhir::Date from, to;  // cohort: tendinopathy onset in [from, to]
  unsigned jobs = 1;
  // A plain file larger than twice this is read as parts of this size by several threads.
  uint64_t part_bytes = uint64_t{32} << 20;
  // Called about twice a second from one thread while files are read (nullptr: nothing is shown).
  std::function<void(const struct Progress&)> on_progress;
};

struct Progress {
  int pass = 1;
  std::size_t files_done = 0, files = 0;
  uint64_t bytes_done = 0, bytes = 0;  // of the pass's files, as stored (compressed for gzip)
  double seconds = 0;                  // since the pass began
};

struct FileProblem {
  std::string file;  // name within the export folder
  std::size_t line = 0;  // 0: the file as a whole
  std::string problem;
};

struct CohortPatient {
  std::string id;  // the Patient id (never printed: reports carry its pseudonymous key)
  PatientOutcome outcome;
};

// What was read of the export, as every report states it.
struct InputStats {
  std::size_t files_read = 0;
  std::vector<std::string> files_not_needed;  // other resource types (Patient, Observation, …)
  uint64_t lines = 0, bytes = 0;              // read, over both passes
  uint64_t lines_skipped = 0;                 // malformed or of the wrong type
  std::vector<FileProblem> problems;          // sorted by file and line; at most kMaxProblems listed
  uint64_t problems_total = 0;
  double seconds = 0;
  static constexpr std::size_t kMaxProblems = 200;
};

struct PopulationResult {
  std::vector<CohortPatient> cohort;  // sorted by onset, then id
  InputStats input;
};

// Fails only when the folder cannot be listed or holds no Condition file; every other problem is in the
// result.
fhir::Result<PopulationResult> RunPopulationAudit(const PopulationOptions& options, const cards::Vocabulary& vocabulary,
                                                  const MeasureInputs& inputs);

}  // namespace cds::population
