#include "ensemble_run.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "autorec/bias_baseline.h"
#include "autorec/ensemble.h"
#include "engine/device.h"

namespace autorec::cli {
namespace {

// The ensemble's stop reason: the members' own, "early_stopping" only when every member stopped early.
std::string combined_stop_reason(const std::vector<RunOutcome>& members) {
  for (const char* reason : {"diverged", "epoch_limit"}) {
    for (const RunOutcome& m : members) {
      if (m.stop_reason == reason) return reason;
    }
  }
  return "early_stopping";
}

double validation_rmse(EnsembleModel& ensemble, const RunData& run) {
  const engine::SparseMatrix fit_rows = to_matrix(*run.fit, ensemble.orientation());
  const std::vector<float> predictions = predict_pairs(ensemble, fit_rows, *run.validation, run.rules);
  return rating_metrics(predictions, *run.validation, fit_rows, ensemble.orientation()).rmse;
}

}  // namespace

RunOutcome train_ensemble_run(const TrainSettings& settings, const std::vector<MemberSettings>& members,
                              const RunData& run, const std::function<void(const RunOutcome&)>& on_results) {
  const auto start = std::chrono::steady_clock::now();
  RunOutcome outcome;
  std::vector<RunOutcome> member_outcomes;
  std::vector<std::unique_ptr<RatingModel>> models;
  std::vector<ModelRecord> records;
  for (std::size_t m = 0; m < members.size(); ++m) {
    note(settings.quiet, "member " + std::to_string(m + 1) + " of " + std::to_string(members.size()) + ": " +
                             model_summary(members[m].settings.model));
    std::unique_ptr<RatingModel> model;
    RunOutcome member = train_run(members[m].settings, run, nullptr, &model);
    outcome.epochs += member.epochs;
    outcome.peak_memory_bytes = std::max(outcome.peak_memory_bytes, member.peak_memory_bytes);
    if (member.interrupted) {
      outcome.interrupted = true;
      outcome.stop_reason = "interrupted";
      outcome.stop_description = "interrupted while training member " + members[m].name;
      return outcome;
    }
    outcome.stop_description += (m == 0 ? "" : "; ") + members[m].name + ": " + member.stop_description;
    outcome.members.push_back({members[m].name, member.best_validation_rmse, member.best_epoch, member.epochs, 0.0});
    records.push_back(model->record());
    models.push_back(std::move(model));
    member_outcomes.push_back(std::move(member));
  }
  outcome.stop_reason = combined_stop_reason(member_outcomes);

  const bool item_rows = records.front().orientation == Orientation::ItemBased;
  const ModelRecord record =
      ensemble_record(records, ensemble_has_baseline(settings.model),
                      item_rows ? run.train->n_items() : run.train->n_users(),
                      item_rows ? run.train->n_users() : run.train->n_items());
  EnsembleModel ensemble(record, std::move(models), settings.device);
  // The blend is fitted on validation with the members' inputs of that time (the fitting part), as
  // their early stopping saw them; without validation it stays the members' plain average.
  ensemble.bind_inputs(run.fit);
  if (!run.validation->empty()) {
    ensemble.fit_blend(*run.validation, run.rules.default_rating);
    outcome.best_validation_rmse = validation_rmse(ensemble, run);
  } else {
    outcome.best_validation_rmse = std::numeric_limits<double>::quiet_NaN();
  }
  const BlendWeights blend = ensemble.blend();
  for (std::size_t m = 0; m < blend.members.size(); ++m) outcome.members[m].weight = blend.members[m];
  const BiasBaseline baseline = BiasBaseline::fit(*run.fit);  // on the ratings the members were fitted on
  if (ensemble.has_baseline()) {
    const double baseline_validation = run.validation->empty() ? std::numeric_limits<double>::quiet_NaN()
                                                               : baseline.rmse(*run.validation, run.rules.clip_min, run.rules.clip_max);
    outcome.members.push_back({"baseline", baseline_validation, 0, 0, blend.baseline});
  }
  outcome.blend_intercept = blend.intercept;

  // Test: every member reads the whole training part, as a single model does.
  ensemble.bind_inputs(run.train);
  const engine::SparseMatrix train_rows = to_matrix(*run.train, ensemble.orientation());
  outcome.test = rating_metrics(predict_pairs(ensemble, train_rows, *run.test, run.rules), *run.test, train_rows,
                                ensemble.orientation());
  outcome.best_epoch = 0;
  // The last member's run reset the high-water mark: it now also covers the blend and the test pass.
  outcome.peak_memory_bytes =
      std::max(outcome.peak_memory_bytes, engine::memory_stats(settings.device).peak_bytes);
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  outcome.baseline_rmse = baseline_rmse(run, baseline);
  if (on_results) on_results(outcome);
  if (settings.checkpoint) {
    const TrainingProgress progress{{}, 0, outcome.best_validation_rmse};
    save_final_checkpoint(*settings.checkpoint, [&] {
      return capture_ensemble_checkpoint(ensemble, members.front().settings.train, run.identity, progress, run.rules,
                                         run.train, run.test);
    });
    outcome.saved_checkpoint = *settings.checkpoint;
  }
  return outcome;
}

}  // namespace autorec::cli
