// The shared "run setup" of the CLI: options -> data set -> split -> model and trainer settings,
// and the device/threads. Used by `train` (and by nothing else: the other commands load a model
// file, model_file.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "autorec/checkpoint.h"
#include "autorec/data/load.h"
#include "autorec/data/split.h"
#include "autorec/data/synthetic.h"
#include "options.h"

namespace autorec::cli {

// The data as loaded once per command: either one set to split, or ready train/test files.
struct LoadedData {
  std::optional<Ratings> all;             // --data or the synthetic set (random / kfold splits)
  std::optional<Split> files;             // --split files
  std::string source;                     // for RunIdentity and the report
  std::optional<SynthOptions> synthetic;  // set when the built-in synthetic data is used
  std::size_t n_ratings = 0;
  std::int32_t n_users = 0;
  std::int32_t n_items = 0;
};

// One run's parts, all sharing the data set's id maps.
struct RunData {
  std::shared_ptr<const Ratings> train;       // the whole training part: the input at test time
  std::shared_ptr<const Ratings> fit;         // train minus validation: what the model is fitted on
  std::shared_ptr<const Ratings> validation;  // carved from the training part; may be empty
  std::shared_ptr<const Ratings> test;
  std::size_t cold_start = 0;  // test ratings whose user or item has no training rating
  RunIdentity identity;
  PredictionRules rules;
};

LoadOptions load_options(const Options& options);  // --format, --sep, ... --duplicates
// "random", "kfold" or "files": --split, defaulting to files when --train-file is given.
std::string split_kind(const Options& options);
LoadedData load_data(const Options& options, bool quiet);
// Run `run_index` (0-based) of --runs: random splits use split seed + run, k-fold uses fold + run.
// Throws UsageError naming the split settings when the training, test or fitting part is empty.
RunData prepare_run(const Options& options, const LoadedData& data, int run_index);

// The model's record from --model and its options (shape 0 x 0: train_run sets it from the data).
ModelRecord model_record(const Options& options, int run_index);
TrainConfig train_config(const Options& options, int run_index);
// The same for one model kind (item, user, mf, mf-user): an ensemble's member. With `strict` false the
// options of the other kinds are not refused (they belong to another member).
ModelRecord model_record_for(const Options& options, const std::string& kind, int run_index, bool strict);
TrainConfig train_config_for(const Options& options, const std::string& kind, int run_index);

// --device (auto = cuda when available) and --threads; throws UsageError for an unusable device.
engine::Device select_device(const Options& options);
void apply_thread_count(const Options& options);

// A progress or status line on stderr unless quiet.
void note(bool quiet, const std::string& message);

}  // namespace autorec::cli
