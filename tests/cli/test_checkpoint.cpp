// Checkpoint contents: a save/load round trip keeps everything, and resuming a run from a
// checkpoint gives exactly the run that was never interrupted.
#include <catch2/catch.hpp>

#include <atomic>

#include "checkpoint_fixture.h"
#include "data_test_support.h"

namespace autorec {
namespace {

using test::TempDir;
using test::TinyRun;

// Bitwise equality of two stores' values (a bool, so a failure does not print every weight).
bool same_values(const engine::ParameterStore& a, const engine::ParameterStore& b) {
  return parameters_record(a) == parameters_record(b);
}

void check_same_history(const std::vector<EpochRecord>& a, const std::vector<EpochRecord>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].epoch == b[i].epoch);
    CHECK(a[i].train_loss == b[i].train_loss);
    CHECK(a[i].train_rmse == b[i].train_rmse);
    CHECK(a[i].validation_rmse == b[i].validation_rmse);
  }
}

TEST_CASE("checkpoint round trip keeps configs, progress, data and weights", "[checkpoint]") {
  TinyRun run(3);
  run.model.hidden = {8, 4, 8};  // a deep model: several parameter groups
  run.model.dropout = 0.25f;
  run.train.lambda = 0.5f;
  run.train.loss = LossKind::Mean;
  auto model = run.make_model();
  Trainer trainer(*model, run.train);
  std::optional<Checkpoint> after_epoch2;
  TrainCallbacks callbacks;
  callbacks.on_epoch = [&](const EpochRecord& r) {
    if (r.epoch == 2) after_epoch2 = run.capture(*model, trainer);
  };
  trainer.fit(run.fit_rows, run.validation_fn(), callbacks);
  REQUIRE(after_epoch2);

  TempDir dir;
  const auto path = dir.path() / "run.ckpt";
  save_checkpoint(path, *after_epoch2);
  const Checkpoint loaded = load_checkpoint(path);

  CHECK(loaded.model == model->record());
  CHECK(autorec_config(loaded.model).hidden == run.model.hidden);
  CHECK(autorec_config(loaded.model).dropout == run.model.dropout);
  CHECK(autorec_config(loaded.model).seed == run.model.seed);
  CHECK(loaded.train.lambda == run.train.lambda);
  CHECK(loaded.train.loss == LossKind::Mean);
  CHECK(loaded.train.batch_size == run.train.batch_size);
  CHECK(loaded.model.inputs == model->n_inputs());
  CHECK(loaded.run == run.identity);
  check_same_history(loaded.progress.history,
                     std::vector<EpochRecord>(trainer.history().begin(), trainer.history().begin() + 2));
  CHECK(loaded.progress.best_epoch == after_epoch2->progress.best_epoch);
  CHECK(loaded.rules.default_rating == run.rules.default_rating);
  CHECK(*loaded.inputs == *run.fit);
  CHECK(*loaded.test == *run.test);
  CHECK(loaded.parameters == after_epoch2->parameters);
  CHECK(loaded.best_parameters == after_epoch2->best_parameters);
  CHECK(loaded.optimizer_state == after_epoch2->optimizer_state);
}

TEST_CASE("restored model and optimizer hold the saved values", "[checkpoint]") {
  TinyRun run(2);
  auto model = run.make_model();
  Trainer trainer(*model, run.train);
  trainer.fit(run.fit_rows, nullptr, {});  // no validation: the last weights are the model
  const Checkpoint saved = run.capture(*model, trainer);
  CHECK(saved.best_parameters.empty());

  auto fresh = run.make_model();
  Trainer fresh_trainer(*fresh, run.train);
  CHECK(parameters_record(fresh->parameters()) != saved.parameters);  // training changed the weights
  restore_training(saved, *fresh, fresh_trainer);
  CHECK(same_values(fresh->parameters(), model->parameters()));
  CHECK(optimizer_record(fresh_trainer.optimizer()) == optimizer_record(trainer.optimizer()));
  CHECK(fresh_trainer.history().size() == 2);

  const auto for_prediction = load_trained_model(saved, engine::Device::cpu());
  CHECK(same_values(for_prediction->parameters(), model->parameters()));
}

TEST_CASE("a model file predicts with the best weights, not the last", "[checkpoint]") {
  TinyRun run(6);
  run.train.learning_rate = 0.2f;  // large steps: validation RMSE is unlikely to improve every epoch
  auto model = run.make_model();
  Trainer trainer(*model, run.train);
  std::optional<Checkpoint> last;
  TrainCallbacks callbacks;
  callbacks.on_epoch = [&](const EpochRecord&) { last = run.capture(*model, trainer); };
  trainer.fit(run.fit_rows, run.validation_fn(), callbacks);
  REQUIRE(last);
  REQUIRE_FALSE(last->best_parameters.empty());
  // After fit the model holds the best weights: exactly what the model file must give back.
  const auto loaded = load_trained_model(*last, engine::Device::cpu());
  CHECK(same_values(loaded->parameters(), model->parameters()));
}

TEST_CASE("train 2 epochs, checkpoint, resume to 4 == train 4 directly", "[checkpoint][resume]") {
  TinyRun direct_run(4);
  auto direct = direct_run.make_model();
  Trainer direct_trainer(*direct, direct_run.train);
  direct_trainer.fit(direct_run.fit_rows, direct_run.validation_fn(), {});

  TinyRun first_half(2);
  auto half = first_half.make_model();
  Trainer half_trainer(*half, first_half.train);
  std::optional<Checkpoint> snapshot;
  TrainCallbacks callbacks;
  callbacks.on_epoch = [&](const EpochRecord&) { snapshot = first_half.capture(*half, half_trainer); };
  half_trainer.fit(first_half.fit_rows, first_half.validation_fn(), callbacks);
  TempDir dir;
  save_checkpoint(dir.path() / "half.ckpt", *snapshot);

  TinyRun second_half(4);
  const Checkpoint loaded = load_checkpoint(dir.path() / "half.ckpt");
  auto resumed = second_half.make_model();
  Trainer resumed_trainer(*resumed, second_half.train);
  restore_training(loaded, *resumed, resumed_trainer);
  resumed_trainer.fit(second_half.fit_rows, second_half.validation_fn(), {});

  check_same_history(resumed_trainer.history(), direct_trainer.history());
  CHECK(resumed_trainer.best_epoch() == direct_trainer.best_epoch());
  CHECK(same_values(resumed->parameters(), direct->parameters()));
}

// Each schedule: 6 epochs straight, or 3 epochs, a checkpoint (the run stopped like Ctrl-C), and a
// resume to 6 from the file. The rates, the history and the weights must be the same. The epoch limit
// stays 6 both times (the cosine schedule runs over it).
TEST_CASE("a resumed run continues its learning-rate schedule exactly", "[checkpoint][resume][lr-schedule]") {
  LrSchedule step;
  step.kind = LrScheduleKind::Step;
  step.step_epochs = 2;
  LrSchedule cosine;
  cosine.kind = LrScheduleKind::Cosine;
  cosine.min_rate = 0.001f;
  LrSchedule plateau;
  plateau.kind = LrScheduleKind::Plateau;
  plateau.plateau_patience = 1;
  plateau.factor = 0.3f;
  for (const LrSchedule& schedule : {step, cosine, plateau}) {
    INFO(lr_schedule_name(schedule.kind));
    auto configure = [&](TinyRun& run) {
      run.train.lr_schedule = schedule;
      run.train.learning_rate = 0.05f;  // large steps: validation RMSE does not improve every epoch
      run.train.patience = 100;
    };
    TinyRun direct_run(6);
    configure(direct_run);
    auto direct = direct_run.make_model();
    Trainer direct_trainer(*direct, direct_run.train);
    direct_trainer.fit(direct_run.fit_rows, direct_run.validation_fn(), {});
    REQUIRE(direct_trainer.history().size() == 6);
    const auto& rates = direct_trainer.history();
    CHECK(rates.back().learning_rate < rates.front().learning_rate);  // the schedule did decay

    TinyRun first_half(6);
    configure(first_half);
    auto half = first_half.make_model();
    Trainer half_trainer(*half, first_half.train);
    std::optional<Checkpoint> snapshot;
    std::atomic<bool> stop{false};
    TrainCallbacks callbacks;
    callbacks.on_epoch = [&](const EpochRecord& r) {
      if (r.epoch == 3) {
        snapshot = first_half.capture(*half, half_trainer);
        stop = true;
      }
    };
    half_trainer.fit(first_half.fit_rows, first_half.validation_fn(), callbacks, &stop);
    REQUIRE(snapshot);
    TempDir dir;
    save_checkpoint(dir.path() / "half.ckpt", *snapshot);

    const Checkpoint loaded = load_checkpoint(dir.path() / "half.ckpt");
    CHECK(loaded.train.lr_schedule == schedule);
    TinyRun second_half(6);
    second_half.train = loaded.train;  // the schedule comes back from the file
    auto resumed = second_half.make_model();
    Trainer resumed_trainer(*resumed, second_half.train);
    restore_training(loaded, *resumed, resumed_trainer);
    resumed_trainer.fit(second_half.fit_rows, second_half.validation_fn(), {});

    check_same_history(resumed_trainer.history(), direct_trainer.history());
    for (std::size_t e = 0; e < rates.size(); ++e) {
      CHECK(resumed_trainer.history()[e].learning_rate == rates[e].learning_rate);
    }
    CHECK(same_values(resumed->parameters(), direct->parameters()));
  }
}

}  // namespace
}  // namespace autorec
