#include "run_setup.h"

#include <omp.h>

#include <filesystem>
#include <iostream>

#include "autorec/data/cache.h"
#include "autorec/data/error.h"
#include "autorec/matrix_factorization.h"
#include "autorec/model.h"
#include "engine/device.h"
#include "engine/error.h"
#include "ensemble_options.h"
#include "option_rules.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

// Converts a library's "unknown name" into an error that names the option it came from.
template <class Parse>
auto parse_named(const Options& options, const std::string& name, const std::string& fallback, Parse parse) {
  try {
    return parse(options.text(name, fallback));
  } catch (const std::invalid_argument& error) {
    options.invalid(name, error.what() + did_you_mean_listed(options.text(name, fallback), error.what()));
  }
}

std::string absolute(const std::string& path) { return std::filesystem::absolute(path).lexically_normal().string(); }

// A cache made from this data with these load options, or nothing (missing, stale, old version or
// unreadable: all mean "parse again"; the reason is shown because a bad cache is worth knowing about).
std::optional<Ratings> fresh_cache(const std::string& cache, std::uint64_t fingerprint, bool quiet) {
  if (!std::filesystem::exists(cache)) return std::nullopt;
  try {
    if (ratings_cache_fingerprint(cache) != fingerprint) {
      note(quiet, "cache " + cache + " is of other data or load options; parsing again");
      return std::nullopt;
    }
    note(quiet, "loading cached " + cache);
    return load_ratings_cache(cache);
  } catch (const DataError& error) {
    std::cerr << "autorec: warning: ignoring the cache: " << error.what() << std::endl;
    return std::nullopt;
  }
}

// --cache PATH or auto: reuse a cache whose fingerprint (load options + the data's size and mtime)
// matches, otherwise parse and (re)write it. A cache that cannot be written only costs speed next
// time, so it is a warning, not a reason to throw away a successful parse.
Ratings load_with_cache(const Options& options, const std::string& data_path, bool quiet) {
  std::string cache = options.text("cache");
  if (cache == "auto") cache = data_path + ".arcache";
  const LoadOptions load = load_options(options);
  const std::uint64_t fingerprint = data_fingerprint(data_path, load);
  if (std::optional<Ratings> cached = fresh_cache(cache, fingerprint, quiet)) return std::move(*cached);
  Ratings ratings = load_ratings(data_path, load);
  try {
    save_ratings_cache(ratings, cache, fingerprint);
    note(quiet, "wrote cache " + cache);
  } catch (const DataError& error) {
    std::cerr << "autorec: warning: cache not written: " << error.what() << std::endl;
  }
  return ratings;
}

std::string synthetic_source(const SynthOptions& s) {
  return "synthetic users=" + std::to_string(s.n_users) + " items=" + std::to_string(s.n_items) +
         " ratings=" + std::to_string(s.n_ratings) + " seed=" + std::to_string(s.seed);
}


// The split options a user would change when a part comes out empty.
std::string split_settings(const Options& options) {
  const std::string kind = split_kind(options);
  if (kind == "files") return "--train-file " + options.text("train-file") + " with --test-file " + options.text("test-file");
  if (kind == "kfold") return "--split kfold --folds " + options.text("folds", "5");
  return "--test-fraction " + options.text("test-fraction", "0.1");
}

std::string rating_count(std::size_t n) { return std::to_string(n) + (n == 1 ? " rating" : " ratings"); }

// An empty part would train on nothing or report metrics of nothing: stop and say which setting did it.
void check_parts_not_empty(const Options& options, const LoadedData& data, const Split& split) {
  const std::string context = " (the data set has " + rating_count(data.n_ratings) + ")";
  if (split.train.empty()) throw UsageError(split_settings(options) + " leaves no training ratings" + context);
  if (split.test.empty()) throw UsageError(split_settings(options) + " leaves no test ratings" + context);
}

// The test split of one run, and its description for RunIdentity.
Split split_for_run(const Options& options, const LoadedData& data, int run_index, std::string& protocol) {
  const std::string kind = split_kind(options);
  const std::uint64_t seed = options.seed("split-seed", 1);
  if (kind == "files") {
    protocol = "files";
    return *data.files;
  }
  if (kind == "kfold") {
    const auto folds = static_cast<int>(options.integer("folds", 5, 2, 1000));
    const auto first = static_cast<int>(options.integer("fold", 0, 0, folds - 1));
    const int fold = (first + run_index) % folds;
    protocol =
        "kfold folds=" + std::to_string(folds) + " fold=" + std::to_string(fold) + " seed=" + std::to_string(seed);
    return k_fold(*data.all, folds, fold, seed);
  }
  const double fraction = options.real("test-fraction", 0.1, 1e-9, 0.9);
  protocol = "random test=" + options.text("test-fraction", "0.1") + " seed=" + std::to_string(seed + run_index);
  return random_holdout(*data.all, fraction, seed + static_cast<std::uint64_t>(run_index));
}

}  // namespace

std::string split_kind(const Options& options) {
  return options.choice("split", options.has("train-file") ? "files" : "random", {"random", "kfold", "files"});
}

void note(bool quiet, const std::string& message) {
  if (!quiet) std::cerr << message << std::endl;
}

LoadOptions load_options(const Options& options) {
  LoadOptions load;
  load.format = parse_named(options, "format", "auto", [](const std::string& s) { return parse_format(s); });
  load.duplicates =
      parse_named(options, "duplicates", "error", [](const std::string& s) { return parse_duplicate_policy(s); });
  DelimitedOptions& d = load.delimited;
  d.separator = options.text("sep", ",");
  if (d.separator.empty() || (d.separator.size() > 1 && d.separator != "::")) {
    options.invalid("sep", "expected one character or '::'");
  }
  d.user_column = static_cast<int>(options.integer("user-col", 0, 0, 1000));
  d.item_column = static_cast<int>(options.integer("item-col", 1, 0, 1000));
  d.rating_column = static_cast<int>(options.integer("rating-col", 2, 0, 1000));
  const std::string header = options.choice("header", "auto", {"auto", "yes", "no"});
  d.header = header == "yes" ? HeaderMode::present : header == "no" ? HeaderMode::absent : HeaderMode::automatic;
  // Separator, column and header flags describe a generic delimited file: they imply --format delimited
  // when the format is not named (or "auto"), and contradict any other named format (which fixes its
  // own layout) rather than being silently ignored.
  for (const char* flag : {"sep", "user-col", "item-col", "rating-col", "header"}) {
    if (!options.has(flag)) continue;
    if (load.format == Format::automatic) load.format = Format::delimited;
    if (load.format != Format::delimited) {
      options.invalid(flag, "applies to --format delimited only, not to --format " + format_name(load.format));
    }
  }
  return load;
}

LoadedData load_data(const Options& options, bool quiet) {
  LoadedData data;
  if (split_kind(options) == "files") {
    if (!options.has("train-file") || !options.has("test-file")) {
      throw UsageError("--split files needs both --train-file and --test-file");
    }
    const std::string train = options.text("train-file"), test = options.text("test-file");
    note(quiet, "loading " + train + " and " + test);
    data.files = split_from_files(train, test, load_options(options));
    data.source = "files " + absolute(train) + " " + absolute(test);
    data.n_ratings = data.files->train.size() + data.files->test.size();
    data.n_users = data.files->train.n_users();
    data.n_items = data.files->train.n_items();
    return data;
  }
  if (options.has("data")) {
    const std::string path = options.text("data");
    note(quiet, "loading " + path);
    data.all = options.has("cache") ? load_with_cache(options, path, quiet) : load_ratings(path, load_options(options));
    data.source = absolute(path);
  } else {
    data.synthetic = SynthOptions{};
    note(quiet, "generating synthetic MovieLens-1M-shaped data (no --data given)");
    data.all = generate_ratings(*data.synthetic);
    data.source = synthetic_source(*data.synthetic);
  }
  data.n_ratings = data.all->size();
  data.n_users = data.all->n_users();
  data.n_items = data.all->n_items();
  return data;
}

RunData prepare_run(const Options& options, const LoadedData& data, int run_index) {
  RunData run;
  std::string protocol;
  Split split = split_for_run(options, data, run_index, protocol);
  check_parts_not_empty(options, data, split);
  run.cold_start = split.cold_start_count;
  run.rules = rules_from_training(split.train);
  if (options.has("default-rating")) {
    run.rules.default_rating = static_cast<float>(options.real("default-rating", 0, -1e9, 1e9));
  }
  const double validation_fraction = options.real("validation-fraction", 0.1, 0.0, 0.9);
  protocol += " validation=" + options.text("validation-fraction", "0.1");
  run.train = std::make_shared<const Ratings>(std::move(split.train));
  if (validation_fraction > 0) {
    const std::uint64_t seed = options.seed("split-seed", 1) + static_cast<std::uint64_t>(run_index);
    Split carved = validation_holdout(*run.train, validation_fraction, seed);
    if (carved.train.empty()) {
      throw UsageError("--validation-fraction " + options.text("validation-fraction") +
                       " leaves no ratings to fit the model on (the training part has " +
                       rating_count(run.train->size()) + ")");
    }
    run.fit = std::make_shared<const Ratings>(std::move(carved.train));
    run.validation = std::make_shared<const Ratings>(std::move(carved.test));
  } else {
    run.fit = run.train;
    run.validation = std::make_shared<const Ratings>();
  }
  run.test = std::make_shared<const Ratings>(std::move(split.test));
  run.identity = {data.source, protocol, data.n_ratings, static_cast<std::uint64_t>(data.n_users),
                  static_cast<std::uint64_t>(data.n_items)};
  return run;
}

namespace {

// --model mf or mf-user: biased matrix factorisation; AutoRec's options do not apply (unless an
// ensemble member of another kind takes them: `strict` false).
ModelRecord matrix_factorization_options(const Options& options, const std::string& kind, int run_index, bool strict) {
  for (const char* flag : {"hidden", "activation", "output-activation", "dropout"}) {
    if (strict && options.has(flag)) options.invalid(flag, "applies to AutoRec (--model item or user), not to --model " + kind);
  }
  const MatrixFactorizationConfig defaults;
  MatrixFactorizationConfig model;
  model.orientation = kind == "mf-user" ? Orientation::UserBased : Orientation::ItemBased;
  model.factors = options.integer("factors", defaults.factors, 1, 1000000);
  model.seed = options.seed("seed", defaults.seed) + static_cast<std::uint64_t>(run_index);
  return matrix_factorization_record(model, 0, 0);
}

// --lr-schedule and its parameters (their combinations: option_rules.cpp).
LrSchedule lr_schedule(const Options& options, const LrSchedule& defaults) {
  LrSchedule s;
  s.kind = parse_named(options, "lr-schedule", lr_schedule_name(defaults.kind),
                       [](const std::string& name) { return parse_lr_schedule(name); });
  s.factor = static_cast<float>(options.real("lr-factor", defaults.factor, 1e-6, 0.999999));
  s.step_epochs = static_cast<int>(options.integer("lr-step", defaults.step_epochs, 1, 1000000));
  s.plateau_patience = static_cast<int>(options.integer("lr-patience", defaults.plateau_patience, 1, 1000000));
  s.min_rate = static_cast<float>(options.real("lr-min", defaults.min_rate, 0.0, 1e6));
  return s;
}

}  // namespace

// Flags override the library's defaults (ModelConfig{} and TrainConfig{}: one source of truth).
ModelRecord model_record(const Options& options, int run_index) {
  if (is_ensemble(options)) return ensemble_model_record(options, run_index);
  return model_record_for(options, options.choice("model", "item", {"item", "user", "mf", "mf-user"}), run_index, true);
}

ModelRecord model_record_for(const Options& options, const std::string& kind, int run_index, bool strict) {
  if (kind == "mf" || kind == "mf-user") return matrix_factorization_options(options, kind, run_index, strict);
  if (strict && options.has("factors")) options.invalid("factors", "applies to --model mf or mf-user, not to --model " + kind);
  const ModelConfig defaults;
  ModelConfig model;
  model.orientation = parse_orientation(kind);
  model.hidden = options.integer_list("hidden", defaults.hidden);
  model.hidden_activation = parse_named(options, "activation", activation_name(defaults.hidden_activation),
                                        [](const std::string& s) { return parse_activation(s); });
  model.output_activation = parse_named(options, "output-activation", activation_name(defaults.output_activation),
                                        [](const std::string& s) { return parse_activation(s); });
  model.dropout = static_cast<float>(options.real("dropout", defaults.dropout, 0.0, 0.99));
  model.seed = options.seed("seed", defaults.seed) + static_cast<std::uint64_t>(run_index);
  return autorec_record(model, 0);
}

TrainConfig train_config(const Options& options, int run_index) {
  // An ensemble's first member's (ensemble_run.h gives each member its own).
  const std::string kind = is_ensemble(options) ? ensemble_member_kinds(options).front() : options.text("model", "item");
  return train_config_for(options, kind, run_index);
}

TrainConfig train_config_for(const Options& options, const std::string& kind, int run_index) {
  TrainConfig defaults;
  if (kind.rfind("mf", 0) == 0) {
    // Matrix factorisation's own defaults, chosen like AutoRec's by validation RMSE on ML-100K (docs/usage.md).
    defaults.lambda = 12.0f;
    defaults.learning_rate = 0.01f;
  }
  TrainConfig train;
  train.optimizer = parse_named(options, "optimizer", optimizer_name(defaults.optimizer),
                                [](const std::string& s) { return parse_optimizer(s); });
  if (kind.rfind("mf", 0) != 0) {
    // AutoRec: batches of 1024 rows, Adam's rate doubled with them (the square-root rule), chosen on
    // validation RMSE against 256 / 0.001 (docs/benchmarks.md, "Accuracy against batch size"): as
    // accurate, and the optimizer's pass over every weight row is paid a quarter as often. SGD's rate
    // and RProp's initial step keep the library's 0.001.
    defaults.batch_size = kAutoRecBatchSize;
    if (train.optimizer == OptimizerKind::Adam || train.optimizer == OptimizerKind::AdamW) {
      defaults.learning_rate = kAutoRecAdamRate;
    }
  }
  train.learning_rate = static_cast<float>(options.real("lr", defaults.learning_rate, 1e-12, 1e6));
  train.momentum = static_cast<float>(options.real("momentum", defaults.momentum, 0.0, 0.9999));
  train.lambda = static_cast<float>(options.real("lambda", defaults.lambda, 0.0, 1e9));
  train.weight_decay = static_cast<float>(options.real("weight-decay", defaults.weight_decay, 0.0, 1e6));
  if (train.optimizer == OptimizerKind::AdamW && train.learning_rate * train.weight_decay >= 1.0f) {
    options.invalid("weight-decay", "lr * weight-decay must be below 1 (each step multiplies the weights by 1 - lr * D)");
  }
  const bool mean_loss = options.choice("loss", defaults.loss == LossKind::Mean ? "mean" : "sum", {"sum", "mean"}) == "mean";
  train.loss = mean_loss ? LossKind::Mean : LossKind::Sum;
  train.batch_size = options.integer("batch-size", defaults.batch_size, 0, INT32_MAX);
  train.lazy_updates = options.choice("updates", defaults.lazy_updates ? "lazy" : "exact", {"exact", "lazy"}) == "lazy";
  train.precision = parse_precision(options.choice("precision", precision_name(defaults.precision), {"fp32", "bf16"}));
  // bf16 tables are AutoRec's sparse layers': an ensemble's MF members train in fp32 (a lone MF model
  // refuses --precision bf16, option_rules.cpp).
  if (kind.rfind("mf", 0) == 0) train.precision = Precision::Fp32;
  train.max_epochs = static_cast<int>(options.integer("epochs", defaults.max_epochs, 0, 1000000));
  train.patience = static_cast<int>(options.integer("patience", defaults.patience, 1, 1000000));
  train.seed = options.seed("seed", defaults.seed) + static_cast<std::uint64_t>(run_index);
  train.lr_schedule = lr_schedule(options, defaults.lr_schedule);
  return train;
}

engine::Device select_device(const Options& options) {
  const std::string text = options.text("device", "auto");
  if (text == "auto") return engine::cuda_available() ? engine::Device::cuda() : engine::Device::cpu();
  engine::Device device;
  try {
    device = engine::parse_device(text);
  } catch (const engine::Error& error) {
    options.invalid("device", error.what() + did_you_mean_listed(text, error.what()));
  }
  std::string reason;
  if (!device.is_cpu() && !engine::cuda_available(&reason))
    options.invalid("device", "CUDA is not available: " + reason);
  return device;
}

void apply_thread_count(const Options& options) {
  if (options.has("threads")) omp_set_num_threads(static_cast<int>(options.integer("threads", 1, 1, 4096)));
}

}  // namespace autorec::cli
