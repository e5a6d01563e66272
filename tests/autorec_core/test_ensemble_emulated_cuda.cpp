// The ensemble (autorec/ensemble.h) on Device::cuda() — the CUDA backend under the SIMT emulation —
// against the CPU: members of both orientations predicting from the bound inputs, the blend and the
// ranking path (the other-orientation member's decoded matrix) agree between the devices.
#include <catch2/catch.hpp>

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
};

DeviceRun run_on(engine::Device device, const Split& split) {
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
  BlendWeights w;
  w.intercept = 0.1f;
  w.members = {0.6f, 0.3f};
  w.baseline = 0.2f;
  ensemble.set_blend(w);
  const PredictionRules rules = rules_from_training(*train);
  return {predict_pairs(ensemble, item_rows, split.test, rules, 16), ranking_metrics(ensemble, item_rows, split.test, 5, 16)};
}

TEST_CASE("an I+U+baseline ensemble predicts and ranks the same on emulated CUDA and the CPU", "[ensemble][cuda]") {
  SynthOptions synth;
  synth.n_users = 50;
  synth.n_items = 40;
  synth.n_ratings = 800;
  synth.seed = 5;
  const Split split = random_holdout(generate_ratings(synth), 0.1, 2);
  const DeviceRun cpu = run_on(engine::Device::cpu(), split);
  const DeviceRun cuda = run_on(engine::Device::cuda(), split);
  REQUIRE(cpu.predictions.size() == cuda.predictions.size());
  for (std::size_t q = 0; q < cpu.predictions.size(); ++q) CHECK(cuda.predictions[q] == Approx(cpu.predictions[q]).margin(1e-4));
  CHECK(cuda.ranking.users == cpu.ranking.users);
  CHECK(cuda.ranking.ndcg == Approx(cpu.ranking.ndcg).margin(1e-6));
  CHECK(cuda.ranking.hit_rate == Approx(cpu.ranking.hit_rate).margin(1e-6));
}

}  // namespace
