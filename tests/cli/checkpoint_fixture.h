// A tiny training setup shared by the checkpoint tests: synthetic ratings, a split, a small model
// and a trainer, all deterministic on the CPU.
#pragma once

#include <memory>

#include "autorec/checkpoint.h"
#include "autorec/data/split.h"
#include "autorec/data/synthetic.h"
#include "autorec/model.h"

namespace autorec::test {

struct TinyRun {
  std::shared_ptr<const Ratings> fit, validation, test;
  engine::SparseMatrix fit_rows;
  PredictionRules rules;
  RunIdentity identity{"synthetic tiny", "random test=0.1 seed=3 validation=0.1", 0, 0, 0};
  ModelConfig model;
  TrainConfig train;

  explicit TinyRun(int max_epochs) {
    SynthOptions synth;
    synth.n_users = 60;
    synth.n_items = 40;
    synth.n_ratings = 900;
    synth.seed = 7;
    const Ratings all = generate_ratings(synth);
    Split split = random_holdout(all, 0.1, 3);
    Split carved = validation_holdout(split.train, 0.1, 3);
    rules = rules_from_training(split.train);
    fit = std::make_shared<const Ratings>(std::move(carved.train));
    validation = std::make_shared<const Ratings>(std::move(carved.test));
    test = std::make_shared<const Ratings>(std::move(split.test));
    fit_rows = to_matrix(*fit, Orientation::ItemBased);
    identity.n_ratings = all.size();
    model.hidden = {8};
    model.seed = 5;
    train.learning_rate = 0.01f;
    train.batch_size = 16;  // several batches per epoch: the batch order matters
    train.max_epochs = max_epochs;
    train.seed = 9;
  }

  ValidationFn validation_fn() const {
    return [this](RatingModel& m) {
      return rating_metrics(predict_pairs(m, fit_rows, *validation, rules), *validation, fit_rows,
                            Orientation::ItemBased)
          .rmse;
    };
  }

  std::unique_ptr<AutoRecModel> make_model() const {
    return std::make_unique<AutoRecModel>(model, fit_rows.cols(), engine::Device::cpu());
  }

  Checkpoint capture(const AutoRecModel& m, Trainer& trainer) const {
    return capture_checkpoint(m, trainer, train, identity, rules, fit, test);
  }
};

}  // namespace autorec::test
