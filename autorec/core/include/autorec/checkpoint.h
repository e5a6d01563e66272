// Checkpoints: everything needed to continue a training run (--resume) or to use the trained model
// later (eval, predict, recommend, export) in one self-contained file.
//
// File: a 32-byte header (magic "ARCKPT\r\n", u32 version, u32 reserved, u64 payload bytes, u64 FNV-1a
// checksum of the payload) and the payload, a sequence of checked little-endian records (layout in
// docs/usage.md). Writes are atomic: a temp file in the same folder, flushed and fsynced, then renamed
// over the target, so a crash or a full disk never leaves a half-written checkpoint under the name.
//
// The checkpoint stores the training ratings used as model inputs (with the id maps) and the test
// ratings, rather than a reference to the data file: a model file keeps working when the data moves
// or changes, and prediction needs no re-load or re-split. The cost is 12 bytes per rating.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "autorec/data/ratings.h"
#include "autorec/evaluate.h"
#include "autorec/rating_model.h"
#include "autorec/trainer.h"

namespace autorec {

// 2: the train config holds AdamW's weight decay; 3: and the update mode (exact or lazy); 4: the model
// is a ModelRecord (kind, shape, settings) instead of AutoRec's fields; 5: and the learning-rate
// schedule (older files: constant), the precision of the gathered tables (fp32 or bf16; older files:
// fp32) and one weights record per member of an ensemble (ensemble.h). Version 3 and 4 files still load.
inline constexpr std::uint32_t kCheckpointVersion = 5;
inline constexpr std::uint32_t kOldestReadableCheckpointVersion = 3;

// A missing, truncated, corrupt or incompatible checkpoint: the message starts with the file name.
class CheckpointError : public std::runtime_error {
 public:
  CheckpointError(const std::filesystem::path& file, const std::string& reason);
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

// Which data and which split a run trains on. --resume refuses a checkpoint of another run.
struct RunIdentity {
  std::string source;    // the data file(s), or "synthetic users=... items=... ratings=... seed=..."
  std::string protocol;  // split kind, fractions and seeds, e.g. "random test=0.1 seed=1 validation=0.1"
  std::uint64_t n_ratings = 0;
  std::uint64_t n_users = 0;
  std::uint64_t n_items = 0;

  bool operator==(const RunIdentity&) const = default;
  std::string describe() const;  // one line for messages
};

// The trainer's bookkeeping (Trainer::history(), best_epoch(), best_validation_rmse()).
struct TrainingProgress {
  std::vector<EpochRecord> history;
  int best_epoch = 0;
  double best_validation_rmse = 0.0;
};

struct Checkpoint {
  ModelRecord model;  // RatingModel::record(): make_model(model, device) rebuilds it
  TrainConfig train;
  RunIdentity run;
  TrainingProgress progress;
  PredictionRules rules;
  // Prediction-time data, sharing one pair of id maps: the ratings fed as model inputs (the
  // training part the model was fitted on) and the held-out test ratings (may be empty).
  std::shared_ptr<const Ratings> inputs;
  std::shared_ptr<const Ratings> test;
  // Binary records of the engine: ParameterStore::save_values and Optimizer::save_state.
  std::string parameters;       // the weights as they are after the last finished epoch
  std::string best_parameters;  // the weights of the best validation epoch; empty = same as parameters
  std::string optimizer_state;
  // An ensemble's members' weights (ParameterStore::save_values), in member order; empty otherwise.
  // `parameters` then holds the blend weights.
  std::vector<std::string> member_parameters;
};

// Writes atomically (AtomicFile: missing folders are created); throws WriteError naming `path` and the
// system's reason when it cannot (the target is untouched, no temporary is left).
void save_checkpoint(const std::filesystem::path& path, const Checkpoint& checkpoint);
// Throws CheckpointError naming `path` when it is missing, truncated, corrupt or of a version this build
// cannot read.
Checkpoint load_checkpoint(const std::filesystem::path& path);
// Fails fast, before hours of training, when save_checkpoint(path) cannot succeed: `path` is a folder,
// part of its folder is a file, or the folder is not writable. Throws CheckpointError naming `path`.
void check_checkpoint_destination(const std::filesystem::path& path);

// ---- glue between a checkpoint and live objects ----

// Snapshot of a model and its trainer (after Trainer::fit's on_epoch or on return).
Checkpoint capture_checkpoint(const RatingModel& model, Trainer& trainer, const TrainConfig& train,
                              const RunIdentity& run, const PredictionRules& rules,
                              std::shared_ptr<const Ratings> inputs, std::shared_ptr<const Ratings> test);
// Snapshot of a trained ensemble (each member holding its best weights, the blend fitted); `progress`
// is the ensemble's (its blended validation RMSE), `train` the first member's settings.
class EnsembleModel;
Checkpoint capture_ensemble_checkpoint(const EnsembleModel& model, const TrainConfig& train, const RunIdentity& run,
                                       const TrainingProgress& progress, const PredictionRules& rules,
                                       std::shared_ptr<const Ratings> inputs, std::shared_ptr<const Ratings> test);
// Puts a checkpoint's weights, optimizer state and progress back into a model and trainer built from
// the checkpoint's configs, so that Trainer::fit continues the run.
void restore_training(const Checkpoint& checkpoint, RatingModel& model, Trainer& trainer);
// A model with the checkpoint's best weights (or its last ones when no best was kept), for prediction.
// An ensemble gets its members' weights and is bound to the checkpoint's input ratings.
std::unique_ptr<RatingModel> load_trained_model(const Checkpoint& checkpoint, engine::Device device);

// A ParameterStore's values / an optimizer's state as an in-memory binary record, and back.
std::string parameters_record(const engine::ParameterStore& store);
void load_parameters_record(engine::ParameterStore& store, const std::string& record);
std::string optimizer_record(const engine::Optimizer& optimizer);
void load_optimizer_record(engine::Optimizer& optimizer, const std::string& record);

}  // namespace autorec
