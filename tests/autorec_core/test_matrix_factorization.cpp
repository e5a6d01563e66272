// The second model of the interface, biased matrix factorisation: it learns, its gradient matches
// finite differences, a checkpointed run resumes exactly, and the factory builds it by name.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <optional>
#include <sstream>

#include "autorec/checkpoint.h"
#include "autorec/data/split.h"
#include "autorec/error.h"
#include "autorec/data/synthetic.h"
#include "autorec/evaluate.h"
#include "autorec/matrix_factorization.h"
#include "autorec/trainer.h"
#include "engine/ops.h"

#include "model_fixtures.h"

using namespace autorec;

namespace {

using fixtures::mean_baseline_rmse;
using fixtures::Problem;
using fixtures::test_rmse;

std::unique_ptr<RatingModel> make_mf(Orientation o, const engine::SparseMatrix& rows, std::int64_t factors = 8) {
  MatrixFactorizationConfig c;
  c.orientation = o;
  c.factors = factors;
  c.seed = 3;
  return make_model(matrix_factorization_record(c, rows.rows(), rows.cols()), engine::Device::cpu());
}

TrainConfig mf_training(int epochs) {
  TrainConfig t;
  t.learning_rate = 0.02f;
  t.lambda = 2.0f;
  t.batch_size = 16;
  t.max_epochs = epochs;
  t.seed = 4;
  return t;
}

// (1/2) sum of squared errors of the model's predictions at the nonzeros of `batch`, in double.
double half_sse(RatingModel& model, const RowBlock& batch) {
  engine::Tensor out(1, batch.ratings.nnz(), engine::Device::cpu());
  model.predict_at(batch, batch.ratings, out);
  const std::vector<float> predicted = out.to_host();
  const std::vector<float> target = batch.ratings.values_host();
  double sum = 0.0;
  for (std::size_t p = 0; p < predicted.size(); ++p) sum += 0.5 * std::pow(double{predicted[p]} - target[p], 2);
  return sum;
}

}  // namespace

TEST_CASE("matrix factorisation learns: test RMSE well below the global mean's", "[mf][training]") {
  for (const Orientation o : {Orientation::ItemBased, Orientation::UserBased}) {
    const Problem p = fixtures::small_problem(o);
    const auto model = make_mf(o, p.train_rows);
    const double before = test_rmse(*model, p);
    Trainer trainer(*model, mf_training(40));
    trainer.fit(p.train_rows, nullptr, {});
    const double after = test_rmse(*model, p);
    const double baseline = mean_baseline_rmse(p);
    INFO("orientation " << orientation_name(o) << ": before " << before << ", after " << after << ", mean "
                        << baseline);
    CHECK(after < 0.9 * baseline);
    CHECK(after < before);
  }
}

TEST_CASE("matrix factorisation gradients match finite differences", "[mf][gradients]") {
  // 5 rows x 4 columns, a batch of rows {3, 0, 4} (row 1 and 2 absent: their gradients are zero).
  engine::CooTriplets t{{0, 0, 1, 3, 3, 3, 4}, {0, 2, 1, 0, 1, 3, 2}, {4.0f, 2.0f, 5.0f, 1.0f, 3.0f, 4.0f, 2.5f}};
  const engine::SparseMatrix all = engine::SparseMatrix::from_coo(5, 4, t);
  const std::vector<engine::index_t> rows = {3, 0, 4};
  const engine::SparseMatrix batch = all.slice_rows(rows);
  const RowBlock block{batch, rows};
  const auto model = make_mf(Orientation::ItemBased, all, 3);
  engine::ParameterStore& store = model->parameters();
  // Nonzero biases too, so that every term of the prediction is exercised.
  const auto mf = dynamic_cast<MatrixFactorization*>(model.get());
  REQUIRE(mf != nullptr);
  std::vector<float> values = store.flat_values().to_host();
  for (std::size_t i = 0; i < values.size(); ++i) values[i] += 0.1f * static_cast<float>((i * 7) % 5) - 0.2f;
  engine::ops::copy(engine::ConstTensorView(engine::Device::cpu(), {values.data(), 1, store.flat_values().cols(),
                                                                    store.flat_values().cols()}),
                    store.flat_values());
  model->start_at_mean(3.0f);

  store.zero_grads();
  engine::DeviceAccumulator sse(engine::Device::cpu());
  model->train_batch(block, 1.0f, sse, 0, nullptr);
  CHECK(sse.read() == Approx(2.0 * half_sse(*model, block)).epsilon(1e-5));

  constexpr float kStep = 1e-2f;
  for (const engine::ParameterId id : {mf->row_factors(), mf->column_factors(), mf->row_biases(), mf->column_biases()}) {
    const engine::ParameterInfo& info = store.info(id);
    const std::vector<float> analytic = store.grad(id).to_host();
    for (std::int64_t i = 0; i < info.rows; ++i) {
      for (std::int64_t j = 0; j < info.cols; ++j) {
        float* w = store.value(id).data() + i * store.value(id).ld() + j;
        const float saved = *w;
        *w = saved + kStep;
        const double plus = half_sse(*model, block);
        *w = saved - kStep;
        const double minus = half_sse(*model, block);
        *w = saved;
        const double numeric = (plus - minus) / (2.0 * kStep);
        INFO(info.name << "[" << i << ", " << j << "]");
        CHECK(analytic[static_cast<std::size_t>(i * info.cols + j)] == Approx(numeric).margin(2e-3).epsilon(2e-3));
      }
    }
  }
  // Rows outside the batch get no gradient.
  const std::vector<float> row_grads = store.grad(mf->row_factors()).to_host();
  for (std::int64_t j = 0; j < 3; ++j) CHECK(row_grads[static_cast<std::size_t>(1 * 3 + j)] == 0.0f);
}

TEST_CASE("matrix factorisation: train 2 epochs, checkpoint, resume to 4 == train 4 directly", "[mf][checkpoint]") {
  const Problem p = fixtures::small_problem(Orientation::UserBased);
  const auto inputs = std::make_shared<const Ratings>(p.split.train);
  const auto test = std::make_shared<const Ratings>(p.split.test);
  const PredictionRules rules = rules_from_training(p.split.train);
  const ValidationFn validate = [&](RatingModel& m) { return test_rmse(m, p); };

  const auto direct = make_mf(Orientation::UserBased, p.train_rows);
  Trainer direct_trainer(*direct, mf_training(4));
  direct_trainer.fit(p.train_rows, validate, {});

  const auto half = make_mf(Orientation::UserBased, p.train_rows);
  Trainer half_trainer(*half, mf_training(2));
  half_trainer.fit(p.train_rows, validate, {});
  const Checkpoint saved = capture_checkpoint(*half, half_trainer, mf_training(2), {"synthetic", "test", 0, 0, 0},
                                              rules, inputs, test);
  std::ostringstream name;
  name << "mf_resume_" << ::getpid() << ".ckpt";
  const std::filesystem::path path = std::filesystem::temp_directory_path() / name.str();
  save_checkpoint(path, saved);
  const Checkpoint loaded = load_checkpoint(path);
  std::filesystem::remove(path);
  CHECK(loaded.model == half->record());
  CHECK(loaded.model.kind == "mf");

  const auto resumed = make_model(loaded.model, engine::Device::cpu());
  Trainer resumed_trainer(*resumed, mf_training(4));
  restore_training(loaded, *resumed, resumed_trainer);
  resumed_trainer.fit(p.train_rows, validate, {});
  REQUIRE(resumed_trainer.history().size() == direct_trainer.history().size());
  for (std::size_t e = 0; e < direct_trainer.history().size(); ++e) {
    CHECK(resumed_trainer.history()[e].train_loss == direct_trainer.history()[e].train_loss);
    CHECK(resumed_trainer.history()[e].validation_rmse == direct_trainer.history()[e].validation_rmse);
  }
  CHECK(parameters_record(resumed->parameters()) == parameters_record(direct->parameters()));
  // The model file predicts exactly what the live model predicts.
  const auto for_prediction = load_trained_model(loaded, engine::Device::cpu());
  CHECK(test_rmse(*for_prediction, p) == test_rmse(*half, p));
}

TEST_CASE("the factory builds models by name and rejects unknown kinds and settings", "[mf][factory]") {
  const std::vector<std::string> kinds = model_kinds();
  CHECK(std::vector<std::string>(kinds.begin(), kinds.begin() + 2) == std::vector<std::string>{"autorec", "mf"});
  ModelRecord record = matrix_factorization_record({}, 10, 7);
  const auto model = make_model(record, engine::Device::cpu());
  CHECK(model->record() == record);
  CHECK(model->n_rows() == 10);
  CHECK(model->n_inputs() == 7);
  CHECK(model_summary(record) == "biased MF 64 factors, batches of items");

  ModelRecord unknown = record;
  unknown.kind = "svd++";
  CHECK_THROWS_AS(make_model(unknown, engine::Device::cpu()), ConfigError);
  CHECK_THROWS_WITH(make_model(unknown, engine::Device::cpu()), Catch::Contains("'svd++'") && Catch::Contains("mf"));
  ModelRecord extra = record;
  extra.settings.emplace_back("hidden", "500");
  CHECK_THROWS_WITH(make_model(extra, engine::Device::cpu()), Catch::Contains("'hidden'"));
  ModelRecord bad = record;
  bad.settings[0].second = "-3";
  CHECK_THROWS_AS(make_model(bad, engine::Device::cpu()), ConfigError);
  ModelRecord no_shape = record;
  no_shape.rows = 0;
  CHECK_THROWS_AS(make_model(no_shape, engine::Device::cpu()), ConfigError);
}

TEST_CASE("research code registers a kind of its own, once", "[mf][factory]") {
  // A kind built on matrix factorisation's class, registered under another name.
  register_model_kind("mf-registered", [](const ModelRecord& record, engine::Device device) {
    return std::make_unique<MatrixFactorization>(MatrixFactorizationConfig{record.orientation, 2, 1}, record.rows,
                                                 record.inputs, device);
  });
  CHECK(model_kinds().back() == "mf-registered");
  const ModelRecord record{"mf-registered", Orientation::ItemBased, 4, 3, {}};
  CHECK(make_model(record, engine::Device::cpu())->n_rows() == 4);
  CHECK(model_summary(record) == "mf-registered");
  CHECK_THROWS_AS(register_model_kind("mf-registered", [](const ModelRecord&, engine::Device) {
                    return std::unique_ptr<RatingModel>();
                  }),
                  ConfigError);
  CHECK_THROWS_AS(register_model_kind("autorec", nullptr), ConfigError);
}
