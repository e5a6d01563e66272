#include "option_rules.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "autorec/data/load.h"
#include "run_setup.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

// Edits (insert, delete, substitute, swap two neighbours) between a and b: "trian" is 1 from "train".
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

struct Renamed {
  const char* command;
  const char* old_name;
  const char* new_name;
};

// One meaning per option name (issue 12): the inputs of eval/predict/recommend/export are model files,
// --checkpoint is what `train` writes; synth's counts and output format got names of their own.
constexpr Renamed kRenamed[] = {
    {"eval", "checkpoint", "model-file"},    {"predict", "checkpoint", "model-file"},
    {"recommend", "checkpoint", "model-file"}, {"export", "checkpoint", "model-file"},
    {"eval", "format", "test-format"},       {"synth", "users", "n-users"},
    {"synth", "items", "n-items"},           {"synth", "ratings", "n-ratings"},
    {"synth", "format", "synth-format"},
};

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

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates,
                         const std::string& prefix) {
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const std::size_t d = edit_distance(name, candidate);
    if (best == nullptr || d < best_distance) {
      best = &candidate;
      best_distance = d;
    }
  }
  // Close enough to be a typo: one edit for names of 3 to 5 letters, two from 6 on; never for shorter.
  if (best == nullptr) return "";
  const std::size_t length = std::max(name.size(), best->size());
  const std::size_t allowed = length < 3 ? 0 : length < 6 ? 1 : 2;
  if (best_distance == 0 || best_distance > allowed) return "";
  return " (did you mean " + prefix + *best + "?)";
}

std::string did_you_mean_listed(const std::string& value, const std::string& message) {
  const std::size_t start = message.find("(expected ");
  if (start == std::string::npos) return "";
  std::vector<std::string> names;
  std::string word;
  for (std::size_t i = start + 10; i <= message.size(); ++i) {
    const char c = i < message.size() ? message[i] : ' ';
    if (c == ',' || c == ' ' || c == ')') {
      if (!word.empty() && word != "or" && word != "one" && word != "of:") names.push_back(word);
      word.clear();
      if (c == ')') break;
    } else {
      word += c;
    }
  }
  return did_you_mean(value, names, "");
}

void check_renamed(const std::string& command, const std::string& name, const std::string& origin) {
  for (const Renamed& r : kRenamed) {
    if (command == r.command && name == r.old_name) {
      throw UsageError(origin + ": 'autorec " + command + "' calls this option --" + r.new_name + " now (--" + name +
                       " means something else in other commands)");
    }
  }
}

void validate_train_options(const Options& options) {
  load_options(options);  // --format, --sep, columns, header, duplicates: values and combinations
  model_record(options, 0);
  train_config(options, 0);
  check_optimizer_options(options);
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
