#include "model_fixtures.h"

#include <cmath>

#include "autorec/data/id_map.h"
#include "autorec/data/synthetic.h"
#include "autorec/model.h"

namespace fixtures {

autorec::Ratings ratings(int n_users, int n_items, const std::vector<std::tuple<int, int, float>>& rows) {
  autorec::Ratings r;
  auto users = std::make_shared<autorec::IdMap>();
  auto items = std::make_shared<autorec::IdMap>();
  for (int u = 0; u < n_users; ++u) users->intern(std::int64_t{u});
  for (int i = 0; i < n_items; ++i) items->intern(std::int64_t{i});
  r.user_ids = users;
  r.item_ids = items;
  for (const auto& [u, i, v] : rows) r.push_back(u, i, v);
  r.recompute_range();
  return r;
}

namespace {
void fill_parameter(engine::ParameterStore& store, const std::string& name, float value) {
  const engine::ParameterId id = store.find(name);
  const engine::ParameterInfo& info = store.info(id);
  store.value(id).copy_from_host(std::vector<float>(static_cast<std::size_t>(info.rows * info.cols), value));
}
}  // namespace

void set_constant_predictions(autorec::AutoRecModel& model, const std::vector<float>& bias) {
  engine::ParameterStore& store = model.parameters();
  for (engine::ParameterId id = 0; id < store.count(); ++id) fill_parameter(store, store.info(id).name, 0.0f);
  store.value(store.find("decoder.bias")).copy_from_host(bias);
}

void set_row_sum_predictions(autorec::AutoRecModel& model, float scale) {
  engine::ParameterStore& store = model.parameters();
  fill_parameter(store, "encoder.weight", 1.0f);
  fill_parameter(store, "encoder.bias", 0.0f);
  fill_parameter(store, "decoder.weight", scale);
  fill_parameter(store, "decoder.bias", 0.0f);
}

Problem small_problem(autorec::Orientation o) {
  autorec::SynthOptions s;
  s.n_users = 120;
  s.n_items = 80;
  s.n_ratings = 3000;
  s.noise_stddev = 0.3;
  s.seed = 5;
  Problem p{autorec::random_holdout(autorec::generate_ratings(s), 0.1, 3), {}};
  p.train_rows = autorec::to_matrix(p.split.train, o);
  return p;
}

double test_rmse(autorec::RatingModel& model, const Problem& p) {
  const auto predictions =
      autorec::predict_pairs(model, p.train_rows, p.split.test, autorec::rules_from_training(p.split.train));
  return autorec::rating_metrics(predictions, p.split.test, p.train_rows, model.orientation()).rmse;
}

double mean_baseline_rmse(const Problem& p) {
  double mean = 0.0;
  for (float v : p.split.train.values) mean += v;
  mean /= static_cast<double>(p.split.train.size());
  double se = 0.0;
  for (float v : p.split.test.values) se += (v - mean) * (v - mean);
  return std::sqrt(se / static_cast<double>(p.split.test.size()));
}

}  // namespace fixtures
