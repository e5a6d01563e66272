// The ensemble (autorec/ensemble.h) on Device::cuda() — the CUDA backend under the SIMT emulation —
// against the CPU: members of both orientations predicting from the bound inputs, the blend and the
// ranking path (the other-orientation member's decoded matrix, or its predictions at each block's
// pairs when that matrix is above the cache limit) agree between the devices and between the two paths.
#include <catch2/catch.hpp>

#include <numeric>

#include "autorec/data/split.h"
#include "autorec/data/synthetic.h"
#include "autorec/ensemble.h"
#include "autorec/evaluate.h"
#include "autorec/model.h"

using namespace autorec;

namespace {

struct DeviceRun {
  std::vector<float> predictions;
  RankingMetrics ranking;
  std::vector<float> rows_backwards;  // predict_rows of rows given in descending order
  std::vector<float> row_repeated;    // predict_rows of a block that names a row twice
};

DeviceRun run_on(engine::Device device, const Split& split, bool keep_decoded_matrix = true) {
  auto train = std::make_shared<const Ratings>(split.train);
  ModelConfig item;
  item.hidden = {12};
  item.seed = 3;
  ModelConfig user = item;
  user.orientation = Orientation::UserBased;
  const engine::SparseMatrix item_rows = to_matrix(*train, Orientation::ItemBased);
  const ModelRecord record = ensemble_record({autorec_record(item, item_rows.cols()), autorec_record(user, item_rows.rows())},
                                            true, item_rows.rows(), item_rows.cols());
  EnsembleModel ensemble(record, device);  // untrained members: the same initial weights on both devices
  ensemble.bind_inputs(train);
  if (!keep_decoded_matrix) ensemble.set_transposed_cache_limit(0, 100);  // chunks of a few member rows
  BlendWeights w;
  w.intercept = 0.1f;
  w.members = {0.6f, 0.3f};
  w.baseline = 0.2f;
  ensemble.set_blend(w);
  const PredictionRules rules = rules_from_training(*train);
  std::vector<engine::index_t> backwards(static_cast<std::size_t>(item_rows.rows()));
  std::iota(backwards.rbegin(), backwards.rend(), 0);
  engine::Tensor rows(item_rows.rows(), item_rows.cols(), device);
  ensemble.predict_rows(RowBlock{item_rows.slice_rows(backwards).to(device), backwards}, rows);
  const std::vector<engine::index_t> repeated = {3, 1, 3};
  engine::Tensor repeated_rows(3, item_rows.cols(), device);
  ensemble.predict_rows(RowBlock{item_rows.slice_rows(repeated).to(device), repeated}, repeated_rows);
  return {predict_pairs(ensemble, item_rows, split.test, rules, 16), ranking_metrics(ensemble, item_rows, split.test, 5, 16),
          rows.to_host(), repeated_rows.to_host()};
}

Split small_split() {
  SynthOptions synth;
  synth.n_users = 50;
  synth.n_items = 40;
  synth.n_ratings = 800;
  synth.seed = 5;
  return random_holdout(generate_ratings(synth), 0.1, 2);
}

void require_same(const DeviceRun& a, const DeviceRun& b) {
  REQUIRE(a.predictions.size() == b.predictions.size());
  for (std::size_t q = 0; q < a.predictions.size(); ++q) CHECK(b.predictions[q] == Approx(a.predictions[q]).margin(1e-4));
  REQUIRE(a.ranking.users > 0);
  CHECK(b.ranking.users == a.ranking.users);
  CHECK(b.ranking.ndcg == Approx(a.ranking.ndcg).margin(1e-6));
  CHECK(b.ranking.hit_rate == Approx(a.ranking.hit_rate).margin(1e-6));
  REQUIRE(a.rows_backwards.size() == b.rows_backwards.size());
  for (std::size_t e = 0; e < a.rows_backwards.size(); ++e) CHECK(b.rows_backwards[e] == Approx(a.rows_backwards[e]).margin(1e-4));
  REQUIRE(a.row_repeated.size() == b.row_repeated.size());
  for (std::size_t e = 0; e < a.row_repeated.size(); ++e) CHECK(b.row_repeated[e] == Approx(a.row_repeated[e]).margin(1e-4));
}

TEST_CASE("an I+U+baseline ensemble predicts and ranks the same on emulated CUDA and the CPU", "[ensemble][cuda]") {
  const Split split = small_split();
  require_same(run_on(engine::Device::cpu(), split), run_on(engine::Device::cuda(), split));
}

TEST_CASE("an ensemble ranks the same when its other-orientation member's matrix is above the cache limit",
          "[ensemble][cuda]") {
  const Split split = small_split();
  const DeviceRun kept = run_on(engine::Device::cpu(), split);
  require_same(kept, run_on(engine::Device::cpu(), split, false));
  require_same(kept, run_on(engine::Device::cuda(), split, false));
}

}  // namespace
