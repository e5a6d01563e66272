// Checkpoint glue: snapshots of a live model and trainer, and putting them back.
#include "autorec/checkpoint.h"

#include <cmath>
#include <sstream>

#include "autorec/ensemble.h"
#include "autorec/error.h"

namespace autorec {

std::string RunIdentity::describe() const {
  std::ostringstream out;
  out << source << " (" << n_ratings << " ratings, " << n_users << " users, " << n_items << " items), " << protocol;
  return out.str();
}

std::string parameters_record(const engine::ParameterStore& store) {
  std::ostringstream out(std::ios::binary);
  store.save_values(out);
  return std::move(out).str();
}

void load_parameters_record(engine::ParameterStore& store, const std::string& record) {
  std::istringstream in(record, std::ios::binary);
  store.load_values(in);
}

std::string optimizer_record(const engine::Optimizer& optimizer) {
  std::ostringstream out(std::ios::binary);
  optimizer.save_state(out);
  return std::move(out).str();
}

void load_optimizer_record(engine::Optimizer& optimizer, const std::string& record) {
  std::istringstream in(record, std::ios::binary);
  optimizer.load_state(in);
}

Checkpoint capture_checkpoint(const RatingModel& model, Trainer& trainer, const TrainConfig& train,
                              const RunIdentity& run, const PredictionRules& rules,
                              std::shared_ptr<const Ratings> inputs, std::shared_ptr<const Ratings> test) {
  Checkpoint checkpoint;
  checkpoint.model = model.record();
  checkpoint.train = train;
  checkpoint.run = run;
  checkpoint.progress = {trainer.history(), trainer.best_epoch(), trainer.best_validation_rmse()};
  checkpoint.rules = rules;
  checkpoint.inputs = std::move(inputs);
  checkpoint.test = std::move(test);
  checkpoint.parameters = parameters_record(model.parameters());
  // Without validation the trainer keeps no best copy (the last weights are the model), and
  // before the first epoch there is none yet.
  const bool has_best = trainer.best_epoch() > 0 && !std::isnan(trainer.best_validation_rmse());
  if (has_best && trainer.best_parameters().finalized()) {
    checkpoint.best_parameters = parameters_record(trainer.best_parameters());
  }
  checkpoint.optimizer_state = optimizer_record(trainer.optimizer());
  return checkpoint;
}

Checkpoint capture_ensemble_checkpoint(const EnsembleModel& model, const TrainConfig& train, const RunIdentity& run,
                                       const TrainingProgress& progress, const PredictionRules& rules,
                                       std::shared_ptr<const Ratings> inputs, std::shared_ptr<const Ratings> test) {
  Checkpoint checkpoint;
  checkpoint.model = model.record();
  checkpoint.train = train;
  checkpoint.run = run;
  checkpoint.progress = progress;
  checkpoint.rules = rules;
  checkpoint.inputs = std::move(inputs);
  checkpoint.test = std::move(test);
  checkpoint.parameters = parameters_record(model.parameters());
  for (std::size_t m = 0; m < model.member_count(); ++m) {
    checkpoint.member_parameters.push_back(parameters_record(model.member(m).parameters()));
  }
  return checkpoint;
}

void restore_training(const Checkpoint& checkpoint, RatingModel& model, Trainer& trainer) {
  load_parameters_record(model.parameters(), checkpoint.parameters);
  load_optimizer_record(trainer.optimizer(), checkpoint.optimizer_state);
  trainer.restore_progress(checkpoint.progress.history, checkpoint.progress.best_epoch,
                           checkpoint.progress.best_validation_rmse);
  if (!checkpoint.best_parameters.empty()) {
    load_parameters_record(trainer.best_parameters(), checkpoint.best_parameters);
  }
}

std::unique_ptr<RatingModel> load_trained_model(const Checkpoint& checkpoint, engine::Device device) {
  auto model = make_model(checkpoint.model, device);
  const std::string& weights = checkpoint.best_parameters.empty() ? checkpoint.parameters : checkpoint.best_parameters;
  load_parameters_record(model->parameters(), weights);
  if (auto* ensemble = dynamic_cast<EnsembleModel*>(model.get())) {
    AUTOREC_CONFIG_CHECK(checkpoint.member_parameters.size() == ensemble->member_count(), "the checkpoint holds ",
                         checkpoint.member_parameters.size(), " member weight records for an ensemble of ",
                         ensemble->member_count());
    for (std::size_t m = 0; m < ensemble->member_count(); ++m) {
      load_parameters_record(ensemble->member(m).parameters(), checkpoint.member_parameters[m]);
    }
    ensemble->bind_inputs(checkpoint.inputs);
  }
  return model;
}

}  // namespace autorec
