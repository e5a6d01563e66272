// autorec train: load or generate the data, run the protocol (one or --runs splits), report.
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <functional>
#include <iostream>
#include <sstream>

#include "autorec/data/atomic_file.h"
#include "commands.h"
#include "ensemble_run.h"
#include "option_rules.h"
#include "output_guard.h"
#include "train_report.h"
#include "train_run.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

std::string optimizer_summary(const TrainConfig& t) {
  std::ostringstream out;  // default stream formatting: 0.001, not 0.001000
  out << optimizer_name(t.optimizer) << " lr " << t.learning_rate << ", lambda " << t.lambda << ", batch "
      << (t.batch_size == 0 || t.optimizer == OptimizerKind::Rprop ? "full" : std::to_string(t.batch_size)) << ", loss "
      << (t.loss == LossKind::Mean ? "mean" : "sum");
  if (t.lr_schedule.kind != LrScheduleKind::Constant) out << ", lr schedule " << lr_schedule_name(t.lr_schedule.kind);
  if (t.precision != Precision::Fp32) out << ", " << precision_name(t.precision) << " tables";
  return out.str();
}

TrainSettings settings_for_run(const Options& options, int run_index, int runs, engine::Device device) {
  TrainSettings s;
  s.model = model_record(options, run_index);
  s.train = train_config(options, run_index);
  s.device = device;
  s.quiet = options.flag("quiet");
  s.log_dir = options.optional_text("log-dir");
  if (runs > 1) s.log_suffix = "-run" + std::to_string(run_index + 1);
  s.resume = options.optional_text("resume");
  // A resumed run keeps saving to the file it came from unless told otherwise.
  s.checkpoint = options.has("checkpoint") ? options.optional_text("checkpoint") : s.resume;
  s.checkpoint_every = static_cast<int>(options.integer("checkpoint-every", 1, 1, 1000000));
  return s;
}

// Checks that need several options together, before any slow work.
int checked_run_count(const Options& options) {
  const auto runs = static_cast<int>(options.integer("runs", 1, 1, 1000));
  if (runs > 1 && (options.has("checkpoint") || options.has("resume"))) {
    throw UsageError("--checkpoint and --resume work with a single run, not with --runs " + std::to_string(runs));
  }
  if (options.has("data") && options.has("train-file")) throw UsageError("give either --data or --train-file");
  // The same rule as the split itself: --train-file alone means a files split.
  const std::string kind = split_kind(options);
  if (runs > 1 && kind == "files") {
    throw UsageError("--runs " + std::to_string(runs) +
                     " needs a random or kfold split: a files split (--train-file/--test-file) is the same every run");
  }
  if (kind != "files" && (options.has("train-file") || options.has("test-file"))) {
    throw UsageError("--train-file and --test-file need --split files (given: --split " + kind + ")");
  }
  return runs;
}

// Every path this run writes, checked against its inputs and what is already there (output_guard.h).
void check_outputs(const Options& options, int runs) {
  OutputGuard guard(options);
  guard.input("data").input("train-file").input("test-file").input("resume");
  guard.output("checkpoint", OutputKind::checkpoint, "resume");
  if (options.has("cache") && options.has("data")) {
    const std::string cache = options.text("cache");
    guard.output_path("cache", cache == "auto" ? options.text("data") + ".arcache" : cache, OutputKind::ratings_cache);
  }
  if (options.has("log-dir")) {
    const std::filesystem::path folder = options.text("log-dir");
    // An ensemble logs each member: train-item.jsonl, train-run2-user.jsonl, ...
    std::vector<std::string> members = {""};
    if (is_ensemble(options)) {
      members.clear();
      for (const std::string& kind : ensemble_member_kinds(options)) members.push_back("-" + kind);
    }
    for (int r = 0; r < runs; ++r) {
      for (const std::string& member : members) {
        const std::string suffix = (runs > 1 ? "-run" + std::to_string(r + 1) : "") + member;
        guard.output_path("log-dir", folder / ("train" + suffix + ".jsonl"), OutputKind::log_jsonl);
        guard.output_path("log-dir", folder / ("training_curve" + suffix + ".svg"), OutputKind::svg);
      }
    }
  }
}

void report_interrupt(const RunOutcome& outcome, bool ensemble) {
  std::cerr << "autorec: interrupted after epoch " << outcome.epochs << "; "
            << (ensemble ? "nothing saved (an ensemble saves its checkpoint once, after every member is trained)"
                : outcome.saved_checkpoint.empty() ? "nothing saved (pass --checkpoint PATH to be able to resume)"
                                                 : "checkpoint saved to " + outcome.saved_checkpoint +
                                                       " (continue with --resume " + outcome.saved_checkpoint + ")")
            << std::endl;
}

}  // namespace

int run_train(const Options& options) {
  validate_train_options(options);  // every value, combination and input path, before any slow work
  const int runs = checked_run_count(options);
  const bool quiet = options.flag("quiet");
  apply_thread_count(options);
  const engine::Device device = select_device(options);
  // Resolve every model and train option now, so a bad value fails before data loading.
  TrainSettings first = settings_for_run(options, 0, runs, device);
  check_outputs(options, runs);  // not after hours of training
  // The options a resumed run must keep, before the data is loaded (the data and split are compared
  // with the checkpoint's once they are known, in train_run).
  if (first.resume) {
    check_resume_settings(*first.resume, load_checkpoint(*first.resume), first);
    // Not kept: train_run reads it again rather than holding its ratings and weights through the run.
  }
  LoadedData data = load_data(options, quiet);

  TrainReport report;
  report.source = data.source;
  report.device = engine::device_description(device);
  report.model = model_summary(first.model);
  report.optimizer = optimizer_summary(first.train);
  if (data.synthetic) report.noise_floor = synthetic_noise_floor(*data.synthetic);
  int stdout_error = -1;
  for (int r = 0; r < runs; ++r) {
    RunData run = prepare_run(options, data, r);
    if (r + 1 == runs) {  // the last run's parts are made: the whole data set is not needed any more
      data.all.reset();
      data.files.reset();
    }
    if (r == 0) {
      report.protocol = run.identity.protocol;
      report.train_ratings = run.train->size();
      report.validation_ratings = run.validation->size();
      report.test_ratings = run.test->size();
      report.cold_start = run.cold_start;
    }
    if (runs > 1) note(quiet, "run " + std::to_string(r + 1) + " of " + std::to_string(runs));
    // The last run's results are printed before its final checkpoint save (which may fail).
    std::function<void(const RunOutcome&)> print = [&](const RunOutcome& outcome) {
      report.runs.push_back(outcome);
      std::cout << (options.flag("json") ? train_report_json(report) : train_report_text(report)) << std::flush;
      if (!std::cout) stdout_error = errno;  // reported after the final save, which must still happen
    };
    const TrainSettings settings = r == 0 ? first : settings_for_run(options, r, runs, device);
    const auto on_results = r + 1 == runs ? print : nullptr;
    const RunOutcome outcome =
        is_ensemble(options)
            ? train_ensemble_run(settings, ensemble_member_settings(options, settings, r), run, on_results)
            : train_run(settings, std::move(run), on_results);
    if (outcome.interrupted) {
      report_interrupt(outcome, is_ensemble(options));
      return kExitInterrupted;
    }
    if (r + 1 < runs) report.runs.push_back(outcome);
  }
  if (stdout_error >= 0) throw WriteError("standard output", "cannot write the results", stdout_error);
  return kExitOk;
}

}  // namespace autorec::cli
