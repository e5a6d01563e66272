#include "option_rules.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "autorec/data/load.h"
#include "ensemble_options.h"
#include "run_setup.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

// "--name", or "--name (run.conf:3)" for a value from a config file.
std::string named(const Options& options, const std::string& name) {
  const std::string origin = options.origin(name);
  return origin.rfind("--", 0) == 0 ? origin : "--" + name + " (" + origin + ")";
}

// `option` is given but `because` (an option with its value) makes it meaningless.
[[noreturn]] void inapplicable(const Options& options, const std::string& option, const std::string& because) {
  throw UsageError(named(options, option) + " has no effect with " + because + ": remove it");
}

void check_optimizer_options(const Options& options) {
  const TrainConfig config = train_config(options, 0);
  const std::string optimizer = optimizer_name(config.optimizer);
  const std::string because = "--optimizer " + optimizer + (options.has("optimizer") ? "" : " (the default)");
  if (options.has("momentum") && config.optimizer != OptimizerKind::Sgd) inapplicable(options, "momentum", because);
  if (options.has("weight-decay") && config.optimizer != OptimizerKind::AdamW)
    inapplicable(options, "weight-decay", because);
  if (config.optimizer == OptimizerKind::Rprop) {  // full batch, every weight each step
    if (options.has("batch-size")) inapplicable(options, "batch-size", because + " (always full batch)");
    if (options.has("updates")) inapplicable(options, "updates", because + " (always full batch)");
  } else if (config.batch_size == 0 && options.has("updates")) {  // a full batch touches every row
    inapplicable(options, "updates", "--batch-size 0 (full batch: every weight row steps every time)");
  }
}

// --lr-schedule's parameters apply to some schedules only; a plateau needs validation RMSEs and a
// patience below early stopping's (or early stopping ends the run before the rate drops).
void check_schedule_options(const Options& options) {
  const TrainConfig config = train_config(options, 0);
  const std::string schedule = lr_schedule_name(config.lr_schedule.kind);
  const std::string because = "--lr-schedule " + schedule + (options.has("lr-schedule") ? "" : " (the default)");
  const std::vector<std::string> applicable = lr_schedule_parameters(schedule);
  for (const char* name : {"lr-factor", "lr-step", "lr-patience", "lr-min"}) {
    if (options.has(name) && std::find(applicable.begin(), applicable.end(), name) == applicable.end())
      inapplicable(options, name, because);
  }
  if (config.lr_schedule.kind == LrScheduleKind::Constant) return;
  if (config.optimizer == OptimizerKind::Rprop)
    inapplicable(options, "lr-schedule", "--optimizer rprop (its step sizes adapt on their own)");
  // Every member of an ensemble has its own default rate (MF's 0.01, AutoRec's 0.002 with Adam): the floor must be below each.
  const std::vector<std::string> kinds =
      is_ensemble(options) ? ensemble_member_kinds(options) : std::vector<std::string>{options.text("model", "item")};
  for (const std::string& kind : kinds) {
    const float rate = train_config_for(options, kind, 0).learning_rate;
    if (options.has("lr-min") && config.lr_schedule.min_rate >= rate) {
      std::ostringstream default_rate;
      default_rate << "the " << kind << " model's default " << rate;
      options.invalid("lr-min", "must be below the learning rate (" +
                                    (options.has("lr") ? "--lr " + options.text("lr") : default_rate.str()) + ")");
    }
  }
  if (config.lr_schedule.kind != LrScheduleKind::Plateau) return;
  if (options.real("validation-fraction", 0.1, 0.0, 0.9) == 0.0)
    inapplicable(options, "lr-schedule", "--validation-fraction 0 (a plateau is seen in validation RMSEs)");
  if (config.lr_schedule.plateau_patience >= config.patience) {
    throw UsageError(named(options, options.has("lr-patience") ? "lr-patience" : "lr-schedule") + ": --lr-patience " +
                     std::to_string(config.lr_schedule.plateau_patience) + " must be below --patience " +
                     std::to_string(config.patience) +
                     " (early stopping would end the run before the learning rate drops)");
  }
}

// bf16 tables are AutoRec's (its sparse layers' V and W); matrix factorisation has no such option. In an
// ensemble it applies to the AutoRec members (the MF members train in fp32).
void check_precision_option(const Options& options) {
  // As given (train_config sets MF kinds to fp32); a bad value is named by train_config already.
  const bool bf16 = options.text("precision", "fp32") == "bf16";
  const std::string model = options.text("model", kDefaultModel);
  if (bf16 && model.rfind("mf", 0) == 0 && model.find('+') == std::string::npos) {
    throw UsageError(named(options, "precision") + " bf16 applies to AutoRec's sparse layers, not to --model " + model +
                     ": remove it");
  }
}

void check_split_options(const Options& options) {
  const std::string kind = split_kind(options);
  const std::string because = "--split " + kind + (options.has("split") ? "" : " (the default)");
  if (kind != "kfold") {
    for (const char* name : {"folds", "fold"})
      if (options.has(name)) inapplicable(options, name, because);
  }
  if (kind != "random" && options.has("test-fraction")) inapplicable(options, "test-fraction", because);
  if (kind == "files") {
    for (const char* name : {"data", "cache"})
      if (options.has(name)) inapplicable(options, name, because + " (--train-file and --test-file are the data)");
  }
  if (!options.has("data") && kind != "files") {  // the built-in synthetic data: nothing is read
    for (const char* name : {"format", "sep", "user-col", "item-col", "rating-col", "header", "duplicates", "cache"})
      if (options.has(name)) inapplicable(options, name, "the built-in synthetic data (no --data given)");
  }
  // Every value now, not after loading: parsing checks the ranges.
  if (kind == "kfold") {
    const auto folds = options.integer("folds", 5, 2, 1000);
    options.integer("fold", 0, 0, folds - 1);
  }
  if (kind == "random") options.real("test-fraction", 0.1, 1e-9, 0.9);
  options.seed("split-seed", 1);
  options.real("validation-fraction", 0.1, 0.0, 0.9);
  if (options.has("default-rating")) options.real("default-rating", 0, -1e9, 1e9);
  if (options.has("patience") && options.real("validation-fraction", 0.1, 0.0, 0.9) == 0.0)
    inapplicable(options, "patience", "--validation-fraction 0 (no validation set, no early stopping)");
}

void require_existing_file(const Options& options, const std::string& name) {
  const std::string path = options.text(name);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw UsageError(named(options, name) + " " + path + ": no such file");
  if (std::filesystem::is_directory(path, error)) throw UsageError(named(options, name) + " " + path + ": is a folder");
}

// An output that must be a file (--output, synth --out) cannot be an existing folder, and a folder
// output (export --out, --log-dir) cannot be an existing file: wrong either way, whatever else the
// writer decides about existing outputs, so refused before any work.
void check_output_kind(const Options& options, const std::string& name, bool folder) {
  if (!options.has(name)) return;
  const std::string path = options.text(name);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return;
  if (folder && !std::filesystem::is_directory(path, error))
    throw UsageError(named(options, name) + " " + path + ": exists and is not a folder");
  if (!folder && std::filesystem::is_directory(path, error))
    throw UsageError(named(options, name) + " " + path + ": is a folder, not a file");
}

void check_files(const Options& options) {
  if (options.has("checkpoint-every") && !options.has("checkpoint") && !options.has("resume"))
    inapplicable(options, "checkpoint-every", "no --checkpoint (nothing is saved)");
  namespace fs = std::filesystem;
  std::error_code error;
  if (options.has("resume")) {
    const std::string path = options.text("resume");
    if (!fs::is_regular_file(path, error)) {
      throw UsageError(named(options, "resume") + " " + path + ": " +
                       (fs::exists(path, error) ? "not a file" : "no such file"));
    }
  }
  for (const char* name : {"data", "train-file", "test-file"}) {
    if (!options.has(name)) continue;
    const std::string path = options.text(name);
    if (!fs::exists(path, error)) throw UsageError(named(options, name) + " " + path + ": no such file or folder");
  }
  check_output_kind(options, "log-dir", true);
  check_output_kind(options, "checkpoint", false);
}

}  // namespace

std::vector<std::string> lr_schedule_parameters(const std::string& schedule) {
  if (schedule == "step") return {"lr-factor", "lr-step", "lr-min"};
  if (schedule == "cosine") return {"lr-min"};
  if (schedule == "plateau") return {"lr-factor", "lr-patience", "lr-min"};
  return {};
}

void validate_training_options(const Options& options) {
  model_record(options, 0);
  train_config(options, 0);
  check_optimizer_options(options);
  check_schedule_options(options);
  check_precision_option(options);
}

void validate_train_options(const Options& options) {
  load_options(options);  // --format, --sep, columns, header, duplicates: values and combinations
  validate_training_options(options);
  check_split_options(options);
  options.integer("checkpoint-every", 1, 1, 1000000);
  options.integer("threads", 1, 1, 4096);
  check_files(options);
}

void validate_model_command_options(const Options& options) {
  const std::string& command = options.command();
  if (!options.has("model-file")) {
    throw UsageError("autorec " + command + " needs --model-file PATH (the checkpoint saved by autorec train --checkpoint)");
  }
  require_existing_file(options, "model-file");
  options.integer("threads", 1, 1, 4096);
  if (options.has("device") && options.text("device") != "auto") select_device(options);
  for (const char* name : {"json", "all-users"})
    if (options.find_spec(name) != nullptr) options.flag(name);
  if (command == "eval") {
    options.integer("ranking-k", 0, 0, 100000);
    if (options.has("test-format") && !options.has("test-file"))
      inapplicable(options, "test-format", "no --test-file (the checkpoint's own test ratings are used)");
    if (options.has("test-format")) {
      try {
        parse_format(options.text("test-format"));
      } catch (const std::invalid_argument& error) {
        options.invalid("test-format", error.what() + did_you_mean_listed(options.text("test-format"), error.what()));
      }
    }
    if (options.has("test-file")) require_existing_file(options, "test-file");
  } else if (command == "predict") {
    if (!options.has("input")) throw UsageError("autorec predict needs --input FILE of (user, item) pairs");
    require_existing_file(options, "input");
    options.choice("header", "auto", {"auto", "yes", "no"});
    check_output_kind(options, "output", false);
  } else if (command == "recommend") {
    options.integer("top", 10, 1, 1000000);
    const int sources = options.has("users") + options.has("users-file") + options.flag("all-users");
    if (sources != 1) throw UsageError("autorec recommend needs exactly one of --users, --users-file, --all-users");
    if (options.has("users-file")) require_existing_file(options, "users-file");
    check_output_kind(options, "output", false);
  } else if (command == "export") {
    if (!options.has("out")) throw UsageError("autorec export needs --out DIR");
    options.choice("export-format", "npy", {"npy", "csv"});
    check_output_kind(options, "out", true);
  }
}

void validate_synth_options(const Options& options) {
  if (!options.has("out")) throw UsageError("autorec synth needs --out PATH");
  check_output_kind(options, "out", false);
}

}  // namespace autorec::cli
