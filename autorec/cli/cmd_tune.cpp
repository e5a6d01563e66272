// autorec tune: random search over `autorec train`'s model and training options. Each trial trains on
// --data less a validation split and is scored by its best validation RMSE (early stopping as in
// train); the test data is never read. The best trial is written as a config file for
// `autorec train --config` (docs/usage.md, "autorec tune").
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "autorec/data/atomic_file.h"
#include "autorec/data/split.h"
#include "autorec/model.h"
#include "commands.h"
#include "interrupt.h"
#include "option_rules.h"
#include "option_table.h"
#include "output_guard.h"
#include "progress.h"
#include "run_setup.h"
#include "search_space.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

using Clock = std::chrono::steady_clock;
using Drawn = std::vector<std::pair<std::string, std::string>>;

// With --time alone the search is bounded by this many trials (all checked before the first one).
constexpr int kMaxTrials = 10000;

struct TuneData {
  std::shared_ptr<const Ratings> fit, validation;
  PredictionRules rules;
  std::string source;
};

struct Trial {
  int number = 0;  // 1-based
  Drawn parameters;
  double validation_rmse = std::numeric_limits<double>::quiet_NaN();
  int best_epoch = 0;
  int epochs = 0;
  double seconds = 0.0;
  std::string stop_reason;
};

// "--name", or "--name (run.conf:3)" for a value from a config file.
std::string named_origin(const Options& options, const std::string& name) {
  const std::string origin = options.origin(name);
  return origin.rfind("--", 0) == 0 ? origin : "--" + name + " (" + origin + ")";
}

// The `autorec train` options of one trial: tune's own model and training options, the trial's draws
// over them, the validation split and the seed. A draw of a parameter of another schedule than the
// trial's (--lr-step for cosine) is left out.
Options trial_options(const Options& tune, const Drawn& drawn, const std::string& origin) {
  std::vector<std::pair<std::string, OptionValue>> values;
  // One model, I-AutoRec unless --model says otherwise (train's own default is an ensemble).
  if (!tune.has("model")) values.push_back({"model", {"item", "autorec tune's default model"}});
  for (const std::string& name : tunable_options())
    if (tune.has(name)) values.push_back({name, {tune.text(name), tune.origin(name)}});
  for (const auto& [name, text] : drawn) values.push_back({name, {text, origin}});
  for (const char* name : {"validation-fraction", "split-seed", "seed"})
    if (tune.has(name)) values.push_back({name, {tune.text(name), tune.origin(name)}});
  std::string schedule = "constant";
  for (const auto& [name, value] : values)
    if (name == "lr-schedule") schedule = value.text;  // the last one set wins, as below
  const std::vector<std::string> applicable = lr_schedule_parameters(schedule);
  Options trial("train", find_command("train")->options);
  for (auto& [name, value] : values) {
    const bool schedule_parameter = name.rfind("lr-", 0) == 0 && name != "lr-schedule";
    if (schedule_parameter && std::find(applicable.begin(), applicable.end(), name) == applicable.end()) continue;
    trial.set(name, std::move(value));
  }
  return trial;
}

// The parameters of a trial as kept: only those its options hold (dropped schedule parameters are not).
Drawn kept(const Drawn& drawn, const Options& trial) {
  Drawn out;
  for (const auto& pair : drawn)
    if (trial.has(pair.first) && trial.text(pair.first) == pair.second) out.push_back(pair);
  return out;
}

// An option given to tune (on the command line or in its --config) is fixed: the space's dimension
// for it is dropped, with a note.
SearchSpace without_fixed(const Options& options, SearchSpace space, bool quiet) {
  std::vector<Dimension> searched;
  for (Dimension& d : space.dimensions) {
    if (!options.has(d.option)) {
      searched.push_back(std::move(d));
      continue;
    }
    note(quiet, named_origin(options, d.option) + " " + options.text(d.option) + " is fixed: not searched (" +
                    space.origin + " has it)");
  }
  space.dimensions = std::move(searched);
  return space;
}

int planned_trials(const Options& options) {
  if (options.has("trials")) return static_cast<int>(options.integer("trials", 20, 1, kMaxTrials));
  return options.has("time") ? kMaxTrials : 20;
}

// Every value of every dimension parses as its option, then every planned trial's combination is
// checked as `autorec train` would check it: a bad space fails before the data is loaded.
void check_space(const Options& options, const SearchSpace& space, int trials) {
  for (const Dimension& d : space.dimensions) {
    std::vector<std::string> texts = d.choices;
    if (d.kind != Dimension::Kind::Choice) {
      for (const double end : {d.low, d.high}) {
        std::ostringstream text;
        text << (d.integer ? std::to_string(std::llround(end)) : "");
        if (!d.integer) text << end;
        texts.push_back(text.str());
      }
    }
    for (const std::string& text : texts) {
      if (d.option == "model" && text.find('+') != std::string::npos) {
        throw UsageError(space.origin + ": model: '" + text + "' is an ensemble; autorec tune tunes one model");
      }
      const Options trial = trial_options(options, {{d.option, text}}, space.origin);
      model_record(trial, 0);
      train_config(trial, 0);
    }
  }
  const std::uint64_t seed = options.seed("seed", 1);
  for (int t = 0; t < trials; ++t) {
    validate_training_options(trial_options(options, sample_trial(space, seed, t), space.origin + " (trial " +
                                                                                     std::to_string(t + 1) + ")"));
  }
}

void check_tune_options(const Options& options) {
  if (options.text("model", "item").find('+') != std::string::npos) {
    options.invalid("model", "autorec tune tunes one model (item, user, mf or mf-user); tune an ensemble's members "
                             "one at a time");
  }
  if (options.has("test-file")) {
    throw UsageError(options.origin("test-file") + ": autorec tune never reads test data (it scores trials on a "
                     "validation split of --data); give the test file to autorec train");
  }
  if (!options.has("data")) {
    throw UsageError("autorec tune needs --data FILE: the training ratings (a validation split of them scores the "
                     "trials; keep the test ratings out of it)");
  }
  load_options(options);
  options.real("validation-fraction", 0.1, 1e-6, 0.9);
  options.seed("split-seed", 1);
  options.seed("seed", 1);
  options.integer("trials", 20, 1, kMaxTrials);
  if (options.has("time")) options.real("time", 0, 1e-3, 1e9);
  options.integer("threads", 1, 1, 4096);
  options.flag("quiet");
  options.flag("force");
  namespace fs = std::filesystem;
  std::error_code error;
  for (const char* name : {"data", "space"}) {
    if (options.has(name) && !fs::exists(options.text(name), error))
      throw UsageError("--" + std::string(name) + " " + options.text(name) + ": no such file");
  }
  if (options.has("output") && fs::exists(options.text("output"), error) && !options.flag("force") &&
      !fs::is_directory(options.text("output"), error) && fs::file_size(options.text("output"), error) > 0) {
    throw UsageError("--output " + options.text("output") +
                     " exists: refusing to overwrite it (pass --force to replace it)");
  }
  OutputGuard guard(options);
  guard.input("data").input("space");
  guard.output("log", OutputKind::log_jsonl).output("output", OutputKind::config_file);
}

TuneData load_tune_data(const Options& options, bool quiet) {
  const LoadedData loaded = load_data(options, quiet);
  const double fraction = options.real("validation-fraction", 0.1, 1e-6, 0.9);
  Split carved = validation_holdout(*loaded.all, fraction, options.seed("split-seed", 1));
  if (carved.train.empty() || carved.test.empty()) {
    throw UsageError("--validation-fraction " + options.text("validation-fraction", "0.1") + " leaves " +
                     (carved.train.empty() ? "nothing to fit" : "no validation ratings") + " (--data has " +
                     std::to_string(loaded.n_ratings) + " ratings)");
  }
  TuneData data;
  data.rules = rules_from_training(*loaded.all);
  data.fit = std::make_shared<const Ratings>(std::move(carved.train));
  data.validation = std::make_shared<const Ratings>(std::move(carved.test));
  data.source = loaded.source;
  return data;
}

// Trains one trial to its early stop; false when Ctrl-C interrupted it (nothing of it is kept).
bool run_trial(const Options& options, const TuneData& data, engine::Device device, const std::atomic<bool>& stop,
               Trial& trial) {
  const auto start = Clock::now();
  ModelRecord record = model_record(options, 0);
  const TrainConfig config = train_config(options, 0);
  const engine::SparseMatrix fit_rows = to_matrix(*data.fit, record.orientation);
  record.rows = fit_rows.rows();
  record.inputs = fit_rows.cols();
  const std::unique_ptr<RatingModel> model = make_model(record, device);
  Trainer trainer(*model, config);
  const Orientation orientation = record.orientation;
  const ValidationFn validate = [&](RatingModel& m) {
    const std::vector<float> predictions = predict_pairs(m, fit_rows, *data.validation, data.rules);
    return rating_metrics(predictions, *data.validation, fit_rows, orientation).rmse;
  };
  trainer.fit(fit_rows, validate, {}, &stop);
  if (trainer.interrupted()) return false;
  trial.epochs = static_cast<int>(trainer.history().size());
  trial.best_epoch = trainer.best_epoch();
  if (trial.best_epoch > 0) trial.validation_rmse = trainer.best_validation_rmse();
  const bool diverged = trial.epochs > 0 && !std::isfinite(trainer.history().back().train_loss);
  trial.stop_reason = diverged ? "diverged" : trial.epochs < config.max_epochs ? "early_stopping" : "epoch_limit";
  trial.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return true;
}

std::string parameters_text(const Drawn& parameters) {
  std::string text;
  for (const auto& [name, value] : parameters) text += (text.empty() ? "" : ", ") + name + " " + value;
  return text.empty() ? "(no parameters)" : text;
}

std::string seconds_text(double seconds) {
  if (seconds >= 60.0) return format_duration(seconds);
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << seconds << "s";
  return out.str();
}

std::string rmse_text(double rmse) {
  if (!std::isfinite(rmse)) return "none (diverged)";
  std::ostringstream out;
  out.precision(4);
  out << std::fixed << rmse;
  return out.str();
}

// A JSON value for an option's text: a number when the whole text is one, else the text.
nlohmann::json json_value(const std::string& text) {
  char* end = nullptr;
  const long long integer = std::strtoll(text.c_str(), &end, 10);
  if (!text.empty() && *end == '\0') return integer;
  const double number = std::strtod(text.c_str(), &end);
  if (!text.empty() && *end == '\0' && std::isfinite(number)) return number;
  return text;
}

std::string log_line(const Trial& trial) {
  nlohmann::json parameters = nlohmann::json::object();
  for (const auto& [name, value] : trial.parameters) parameters[name] = json_value(value);
  nlohmann::json line = {{"trial", trial.number},
                         {"parameters", parameters},
                         {"validation_rmse", nullptr},
                         {"best_epoch", trial.best_epoch},
                         {"epochs", trial.epochs},
                         {"seconds", std::round(trial.seconds * 1000.0) / 1000.0},
                         {"stop_reason", trial.stop_reason}};
  if (std::isfinite(trial.validation_rmse)) line["validation_rmse"] = trial.validation_rmse;
  return line.dump() + "\n";
}

// The best trial as `autorec train --config` reads it: every option the trial trained with.
std::string config_text(const Options& trial, const Trial& best, int trials, const TuneData& data) {
  std::ostringstream out;
  out << "# autorec tune: the best of " << trials << (trials == 1 ? " trial" : " trials")
      << " by validation RMSE: trial " << best.number << ", " << rmse_text(best.validation_rmse) << " (best epoch "
      << best.best_epoch << ")\n# data: " << data.source << "\n";
  // The model always: train's default (an ensemble) is not what the trials trained.
  out << "model = " << trial.text("model", "item") << "\n";
  for (const std::string& name : tunable_options())
    if (name != "model" && trial.has(name)) out << name << " = " << trial.text(name) << "\n";
  for (const char* name : {"validation-fraction", "split-seed"})
    if (trial.has(name)) out << name << " = " << trial.text(name) << "\n";
  out << "seed = " << trial.text("seed", "1") << "\n";
  return out.str();
}

}  // namespace

int run_tune(const Options& options) {
  check_tune_options(options);
  const bool quiet = options.flag("quiet");
  apply_thread_count(options);
  const engine::Device device = select_device(options);
  const SearchSpace space = without_fixed(
      options, options.has("space") ? load_search_space(options.text("space")) : default_search_space(options.text("model", "item")),
      quiet);
  const int trials = planned_trials(options);
  check_space(options, space, trials);  // before the data is loaded
  const std::uint64_t seed = options.seed("seed", 1);
  const double time_budget = options.has("time") ? options.real("time", 0, 1e-3, 1e9) : 0.0;

  const TuneData data = load_tune_data(options, quiet);
  note(quiet, "tuning on " + std::to_string(data.fit->size()) + " ratings, scored on " +
                  std::to_string(data.validation->size()) + " validation ratings (" + space.origin + ", seed " +
                  std::to_string(seed) + ")");
  const std::atomic<bool>& interrupt = install_interrupt_handler();
  const auto start = Clock::now();
  std::string log;
  std::optional<Trial> best;
  std::optional<Options> best_options;
  int finished = 0;
  std::string stopped = options.has("trials") ? " (the budget, --trials " + options.text("trials") + ")"
                                              : " (the default budget of " + std::to_string(trials) + " trials)";
  for (int t = 0; t < trials; ++t) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (time_budget > 0.0 && elapsed >= time_budget) {
      stopped = ": the time budget (--time " + options.text("time") + ") is up";
      break;
    }
    Trial trial;
    trial.number = t + 1;
    const Drawn drawn = sample_trial(space, seed, t);
    const Options run = trial_options(options, drawn, space.origin);
    trial.parameters = kept(drawn, run);
    if (!run_trial(run, data, device, interrupt, trial)) {
      stopped = ": interrupted by Ctrl-C during trial " + std::to_string(trial.number);
      break;
    }
    ++finished;
    const bool better = std::isfinite(trial.validation_rmse) && (!best || trial.validation_rmse < best->validation_rmse);
    if (better) {
      best = trial;
      best_options.emplace(run);
    }
    const std::string of = options.has("trials") || !options.has("time") ? "/" + std::to_string(trials) : "";
    note(quiet, "trial " + std::to_string(trial.number) + of + ": " + parameters_text(trial.parameters) +
                    " -> validation RMSE " + rmse_text(trial.validation_rmse) + " (best epoch " +
                    std::to_string(trial.best_epoch) + " of " + std::to_string(trial.epochs) + ", " +
                    seconds_text(trial.seconds) + ")" + (better ? " *" : "") + "  best " +
                    (best ? rmse_text(best->validation_rmse) + " (trial " + std::to_string(best->number) + ")" : "none"));
    if (options.has("log")) {
      log += log_line(trial);
      write_file_atomically(options.text("log"), log);
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::cout << "search:  " << finished << (finished == 1 ? " trial" : " trials") << " in " << format_duration(seconds)
            << stopped << "\n";
  if (!best) {
    std::cout << "best:    none (no trial reached a finite validation RMSE)\n" << std::flush;
    return interrupt.load() ? kExitInterrupted : kExitFailure;
  }
  std::cout << "best:    trial " << best->number << ", validation RMSE " << rmse_text(best->validation_rmse)
            << " (best epoch " << best->best_epoch << " of " << best->epochs << ")\n"
            << "         " << parameters_text(best->parameters) << "\n";
  if (options.has("output")) {
    write_file_atomically(options.text("output"), config_text(*best_options, *best, finished, data));
    std::cout << "written: " << options.text("output") << " (autorec train --config " << options.text("output")
              << " --train-file ... --test-file ...)\n";
  }
  std::cout << std::flush;
  return interrupt.load() ? kExitInterrupted : kExitOk;
}

}  // namespace autorec::cli
