// What `autorec train` prints at the end: a short human-readable summary on stdout, or with --json
// ONE JSON object (keys in docs/usage.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "autorec/data/synthetic.h"
#include "run_setup.h"
#include "train_run.h"

namespace autorec::cli {

struct TrainReport {
  std::string source;
  std::string protocol;  // of the first run
  std::string device;
  std::string model;  // e.g. "I-AutoRec 500 sigmoid/identity"
  std::string optimizer;
  std::size_t train_ratings = 0;  // fit + validation, first run
  std::size_t validation_ratings = 0;
  std::size_t test_ratings = 0;
  std::size_t cold_start = 0;
  std::optional<SynthNoiseFloor> noise_floor;  // synthetic data only
  std::vector<RunOutcome> runs;
};

std::string train_report_text(const TrainReport& report);
std::string train_report_json(const TrainReport& report);

}  // namespace autorec::cli
