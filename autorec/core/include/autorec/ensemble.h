// An ensemble of rating models blended by least squares: e.g. I-AutoRec + U-AutoRec (+ the bias
// baseline), each member trained on its own with early stopping, the blend
//   r(u, i) = intercept + w_baseline * baseline(u, i) + sum_m w_m * clip(member_m(u, i))
// fitted on the validation ratings (fit_blend). It is a RatingModel of kind "ensemble", so
// evaluation, prediction, ranking and checkpoints treat it like any model.
//
// Members may have different orientations (an item-based and a user-based AutoRec). A RatingModel
// only sees the rows of a block, and a member of the other orientation needs whole rows of the other
// orientation, so the ensemble predicts from the ratings bound with bind_inputs() (the training
// ratings fed as inputs: the fitting part while validating, the whole training part at test time;
// load_trained_model binds the checkpoint's inputs). The baseline member is refitted on the bound
// ratings, deterministically, so it needs no weights of its own.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "autorec/bias_baseline.h"
#include "autorec/data/ratings.h"
#include "autorec/rating_model.h"

namespace autorec {

inline constexpr const char* kEnsembleKind = "ensemble";

struct BlendWeights {
  float intercept = 0.0f;
  float baseline = 0.0f;        // 0 without the baseline member
  std::vector<float> members;   // one per member, in member order
};

// The ensemble's record: its orientation is the first member's, `rows` x `inputs` the training
// matrix's in that orientation; each member's record is kept as settings "member<N>.<field>".
ModelRecord ensemble_record(const std::vector<ModelRecord>& members, bool with_baseline, std::int64_t rows,
                            std::int64_t inputs);
// The member records of an ensemble record; throws ConfigError when it is malformed.
std::vector<ModelRecord> ensemble_members(const ModelRecord& record);
bool ensemble_has_baseline(const ModelRecord& record);

class EnsembleModel : public RatingModel {
 public:
  // Builds the members from the record (make_model); the blend starts as the plain average.
  EnsembleModel(const ModelRecord& record, engine::Device device);
  // Takes trained members (their records must match `record`'s).
  EnsembleModel(const ModelRecord& record, std::vector<std::unique_ptr<RatingModel>> members, engine::Device device);

  ModelRecord record() const override { return record_; }
  Orientation orientation() const override { return record_.orientation; }
  std::int64_t n_inputs() const override { return record_.inputs; }
  std::int64_t n_rows() const override { return record_.rows; }

  // Throws ConfigError: the members are trained one by one (each with its own Trainer), then the blend
  // is fitted (fit_blend).
  void train_batch(const RowBlock& batch, float loss_scale, engine::DeviceAccumulator& sse, std::uint64_t seed,
                   engine::Optimizer* optimizer) override;
  // Both predict from the bound inputs (bind_inputs must have been called); `block` names the rows.
  void predict_at(const RowBlock& block, const engine::SparseMatrix& pattern, engine::TensorView out) override;
  std::int64_t prediction_block_rows() const override { return std::numeric_limits<std::int64_t>::max(); }
  // A member of the other orientation predicts the block's rows as its columns: from its whole decoded
  // matrix (its rows x this ensemble's rows, decoded once per binding) while the members' kept matrices
  // stay within the cache limit, else at the block's pairs, `pairs_per_call` at a time (the member
  // encodes all its rows once per block: slower, memory bounded by the block). The limit defaults to a
  // quarter of the memory (the machine's, or the container's cgroup limit when lower), at most 8 GiB.
  void predict_rows(const RowBlock& block, engine::TensorView out) override;
  void set_transposed_cache_limit(std::size_t bytes, std::int64_t pairs_per_call = std::int64_t{1} << 22);
  // Throws ConfigError: an ensemble has no single representation of a row.
  engine::ConstTensorView encode(const RowBlock& block) override;
  void start_at_mean(float) override {}

  // The blend weights (one parameter "blend": intercept, baseline, members...), checkpointed as the
  // model's parameters; the members' weights are checkpointed one record per member.
  engine::ParameterStore& parameters() override { return blend_store_; }
  const engine::ParameterStore& parameters() const override { return blend_store_; }

  std::size_t member_count() const { return members_.size(); }
  RatingModel& member(std::size_t m) { return *members_[m]; }
  const RatingModel& member(std::size_t m) const { return *members_[m]; }
  bool has_baseline() const { return with_baseline_; }

  // The training ratings the members read their inputs from, and the baseline is fitted on.
  void bind_inputs(std::shared_ptr<const Ratings> inputs);
  BlendWeights blend() const;
  void set_blend(const BlendWeights& weights);

  // Each member's clipped predictions for `queries` (rows: members, then the baseline if any), from
  // the bound inputs; cold pairs get `rules.default_rating`.
  std::vector<std::vector<float>> member_predictions(const Ratings& queries, float default_rating);
  // Least squares of `truth` on the member predictions with a free intercept, the weights shrunk
  // toward the plain average (members and baseline alike) by `ridge` (relative to the number of
  // ratings), so that strongly correlated members stay well-conditioned. Sets and returns the blend
  // (the plain average when there are too few ratings to fit).
  BlendWeights fit_blend(const Ratings& truth, float default_rating, double ridge = 1e-3);

 private:
  std::vector<float> blend_vector() const;  // intercept, baseline, members (host copy)
  BlendWeights plain_average() const;        // every member and the baseline weighted alike
  void require_bound(const char* what) const;

  ModelRecord record_;
  engine::Device device_;
  bool with_baseline_ = false;
  std::vector<std::unique_ptr<RatingModel>> members_;
  engine::ParameterStore blend_store_;
  // Bound inputs: the ratings, each member's matrix (host), the refitted baseline.
  std::shared_ptr<const Ratings> inputs_;
  std::vector<std::shared_ptr<const engine::SparseMatrix>> member_rows_;  // one per orientation, shared
  std::unique_ptr<BiasBaseline> baseline_;
  // predict_rows: full predicted matrices of the members of the other orientation, decoded once per
  // binding (rows of the member's orientation x its inputs).
  std::vector<std::vector<float>> transposed_rows_;
  std::size_t transposed_cache_limit_ = default_transposed_cache_limit();
  std::int64_t pairs_per_call_ = std::int64_t{1} << 22;  // about 4 M: the pattern and the scores stay small
  static std::size_t default_transposed_cache_limit();
  // Member m's decoded matrix (empty when above the limit); its predictions at (all its rows) x
  // `columns`, laid out (member rows, columns.size()).
  const std::vector<float>& decoded_whole(std::size_t m);
  std::vector<float> decoded_columns(std::size_t m, std::span<const engine::index_t> columns);
};

}  // namespace autorec
