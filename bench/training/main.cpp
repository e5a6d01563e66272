// bench_training: I-AutoRec epoch time, ratings/s, peak memory and test RMSE on synthetic data of
// MovieLens / Netflix shapes, with our kernels and (CUDA) the vendor baselines in the same trainer.
// See docs/benchmarks.md.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/device.h"
#include "flags.h"
#include "autorec/json_writer.h"
#include "machine.h"
#include "epoch_profile.h"
#include "model/gpu_cost_model.h"
#include "touched_rows.h"
#include "training_run.h"

namespace {

using namespace bench;

constexpr const char* kUsage = R"(usage: bench_training [--device cpu|cuda|auto] [--data ml-1m,ml-10m,netflix]
                      [--kernels own,vendor] [--epochs N] [--warmup N] [--quick | --full]
                      [--lambda L] [--lr R] [--hidden H] [--batch-size B] [--updates exact|lazy] [--precision fp32|bf16] [--seed S]
                      [--split-dir DIR] [--json FILE] [--out DIR]
  --data      data set shapes (default: ml-1m on the CPU; ml-1m,ml-10m on CUDA; --full adds netflix)
  --kernels   CUDA only: engine kernel selections to compare (default own,vendor,alg2;
              'vendor,alg3' etc. are single entries written with '+': vendor+alg3)
  --epochs    timed epochs after the warm-up epoch(s) (default 3; --quick: 1)
  --split-dir write the 90/10 split as DIR/train.csv and DIR/test.csv (0-based user,item,rating)
  --target-seconds T  report whether the first run's median epoch is <= T (default 1.5 on the CPU)
  --profile   also time one epoch op by op (the model's op sequence replayed with the engine's ops)
  --touched   only generate the data and report the share of weight rows a batch touches, for the
              batch size given and for 1024 and 4096 (no training)
  --model G   print the GPU cost model of an epoch (G: h100, a100, or both as h100,a100) for the
              fused step, the previous step and the dense formulation, op by op (docs/benchmarks.md)
  --no-train  with --model: print the model only
)";

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    for (char& c : item) c = c == '+' ? ',' : c;  // "vendor+alg3" -> "vendor,alg3"
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

std::string choose_device(const Flags& flags) {
  std::string device = flags.text("device", "auto");
  if (device == "auto") device = engine::cuda_available() ? "cuda" : "cpu";
  return device;
}

TrainingSpec base_spec(const Flags& flags, const std::string& device) {
  TrainingSpec spec;
  spec.device = device;
  spec.timed_epochs = static_cast<int>(flags.integer("epochs", flags.has("quick") ? 1 : 3));
  spec.warmup_epochs = static_cast<int>(flags.integer("warmup", 1));
  spec.hidden = flags.integer("hidden", spec.hidden);
  spec.batch_size = flags.integer("batch-size", spec.batch_size);
  spec.seed = static_cast<std::uint64_t>(flags.integer("seed", 1));
  spec.lambda = std::stof(flags.text("lambda", std::to_string(spec.lambda)));
  spec.learning_rate = std::stof(flags.text("lr", std::to_string(spec.learning_rate)));
  spec.split_dir = flags.text("split-dir", "");
  const std::string updates = flags.text("updates", "exact");
  if (updates != "exact" && updates != "lazy") throw std::invalid_argument("--updates is exact or lazy");
  spec.lazy_updates = updates == "lazy";
  const std::string precision = flags.text("precision", "fp32");
  if (precision != "fp32" && precision != "bf16") throw std::invalid_argument("--precision is fp32 or bf16");
  spec.precision = autorec::parse_precision(precision);
  if (spec.timed_epochs < 1 || spec.warmup_epochs < 0) throw std::invalid_argument("--epochs >= 1, --warmup >= 0");
  return spec;
}

void print_table(std::ostream& out, const std::vector<TrainingResult>& results) {
  out << "| data | device | kernels | train ratings | median epoch s | ratings/s | engine peak MiB | "
         "reserved peak MiB | process peak RSS MiB | test RMSE |\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n";
  constexpr double mib = 1024.0 * 1024.0;
  for (const TrainingResult& r : results) {
    char line[512];
    std::snprintf(line, sizeof line, "| %s | %s | %s | %lld | %.3f | %.3g | %.0f | %.0f | %.0f | %.4f |\n",
                  r.spec.dataset.c_str(), r.spec.device.c_str(), r.spec.device == "cpu" ? "cpu" : r.spec.kernels.c_str(),
                  static_cast<long long>(r.train_ratings), r.median_epoch_seconds, r.ratings_per_second,
                  r.engine_peak_bytes / mib, r.device_reserved_peak_bytes / mib, r.process_peak_rss_bytes / mib,
                  r.test_rmse);
    out << line;
  }
}

void print_profile(std::ostream& out, const TrainingSpec& spec, const std::vector<OpTime>& times) {
  double total = 0.0;
  for (const OpTime& t : times) total += t.seconds;
  out << "\nEpoch profile, " << spec.dataset << " on " << spec.device << " (" << spec.kernels << "), one epoch:\n\n"
      << "| op | seconds | share |\n|---|---:|---:|\n";
  for (const OpTime& t : times) {
    char line[160];
    std::snprintf(line, sizeof line, "| %s | %.3f | %.0f%% |\n", t.name.c_str(), t.seconds, 100.0 * t.seconds / total);
    out << line;
  }
  out << "| total | " << total << " | |\n\n";
}

void print_touched(std::ostream& out, const std::string& dataset, const TrainingData& data, const TrainingSpec& spec) {
  out << "\nWeight rows (users) touched per batch of items, " << dataset << " (" << data.train.rows() << " items x "
      << data.train.cols() << " users, " << data.train.nnz() << " training ratings), one shuffled epoch:\n\n"
      << "| batch | batches | mean touched | min | max |\n|---:|---:|---:|---:|---:|\n";
  for (const std::int64_t batch : {spec.batch_size, std::int64_t{1024}, std::int64_t{4096}}) {
    const TouchedRows t = touched_rows(data.train, batch, spec.seed);
    char line[160];
    std::snprintf(line, sizeof line, "| %lld | %lld | %.1f%% | %.1f%% | %.1f%% |\n", static_cast<long long>(batch),
                  static_cast<long long>(t.batches), 100.0 * t.mean_fraction, 100.0 * t.min_fraction,
                  100.0 * t.max_fraction);
    out << line;
  }
}

void print_model(std::ostream& out, const EpochShape& shape, const GpuSpec& gpu) {
  const std::vector<StepCost> steps = {model_fused_step(gpu, shape, false), model_fused_step(gpu, shape, false, true),
                                       model_fused_step(gpu, shape, true), model_previous_step(gpu, shape),
                                       model_dense_step(gpu, shape)};
  char line[256];
  std::snprintf(line, sizeof line,
                "\nGPU cost model, %s shape (%lld items x %lld users, %lld ratings, k = %lld, batch %lld, %zu batches), "
                "%s:\n",
                shape.dataset.c_str(), static_cast<long long>(shape.items), static_cast<long long>(shape.users),
                static_cast<long long>(shape.nnz), static_cast<long long>(shape.k),
                static_cast<long long>(shape.batch_size), shape.batch_row_lengths.size(), gpu.name.c_str());
  out << line;
  for (const StepCost& step : steps) {
    out << "\n" << step.formulation << ":\n\n| op | launches | compulsory GB | design GB | GFLOP | modeled ms |\n"
        << "|---|---:|---:|---:|---:|---:|\n";
    for (const OpCost& op : step.ops) {
      std::snprintf(line, sizeof line, "| %s | %.0f | %.2f | %.2f | %.1f | %.2f |\n", op.name.c_str(), op.launches,
                    op.compulsory_bytes / 1e9, op.design_bytes / 1e9, op.flops / 1e9, op.seconds * 1e3);
      out << line;
    }
  }
  out << "\n| formulation | modeled epoch ms | time / fused step |\n|---|---:|---:|\n";
  for (const StepCost& step : steps) {
    std::snprintf(line, sizeof line, "| %s | %.1f | %.2fx |\n", step.formulation.c_str(), step.seconds() * 1e3,
                  step.seconds() / steps.front().seconds());
    out << line;
  }
}

bench::Json result_json(const TrainingResult& r) {
  return {{"dataset", r.spec.dataset},
          {"device", r.spec.device},
          {"kernels", r.spec.device == "cpu" ? "cpu" : r.spec.kernels},
          {"backend", r.backend},
          {"n_users", r.n_users},
          {"n_items", r.n_items},
          {"train_ratings", r.train_ratings},
          {"test_ratings", r.test_ratings},
          {"hidden", r.spec.hidden},
          {"batch_size", r.spec.batch_size},
          {"updates", r.spec.lazy_updates ? "lazy" : "exact"},
          {"precision", autorec::precision_name(r.spec.precision)},
          {"learning_rate", static_cast<double>(r.spec.learning_rate)},
          {"lambda", static_cast<double>(r.spec.lambda)},
          {"warmup_epochs", r.spec.warmup_epochs},
          {"epoch_seconds", r.epoch_seconds},
          {"median_epoch_seconds", r.median_epoch_seconds},
          {"ratings_per_second", r.ratings_per_second},
          {"engine_peak_bytes", r.engine_peak_bytes},
          {"device_reserved_peak_bytes", r.device_reserved_peak_bytes},
          {"process_peak_rss_bytes", r.process_peak_rss_bytes},
          {"setup_seconds", r.setup_seconds},
          {"test_rmse", r.test_rmse},
          {"test_mae", r.test_mae}};
}

void write_json(const std::string& path, const MachineInfo& machine, const std::vector<TrainingResult>& results,
                double target_seconds) {
  bench::Json json = {{"benchmark", "bench_training"}, {"machine", bench::machine_json(machine)}};
  if (target_seconds > 0 && !results.empty()) {
    json["target_epoch_seconds"] = target_seconds;
    json["target_met"] = results.front().median_epoch_seconds <= target_seconds;
  }
  json["results"] = bench::Json::array();
  for (const TrainingResult& r : results) json["results"].push_back(result_json(r));
  std::ofstream out(path);
  out << json.dump() << '\n';
  if (!out) throw std::runtime_error("cannot write " + path);
}

int run(int argc, char** argv) {
  const Flags flags(argc, argv, {"quick", "full", "help", "profile", "touched", "no-train"},
                    {"device", "data", "kernels", "epochs", "warmup", "lambda", "lr", "hidden", "batch-size", "seed",
                     "split-dir", "json", "out", "target-seconds", "updates", "precision", "model"});
  if (flags.has("help")) {
    std::cout << kUsage;
    return 0;
  }
  const std::string device = choose_device(flags);
  const bool cpu = device == "cpu";
  const std::string default_data = cpu ? "ml-1m" : flags.has("full") ? "ml-1m,ml-10m,netflix" : "ml-1m,ml-10m";
  const std::vector<std::string> kernel_specs = cpu ? std::vector<std::string>{"own"}
                                                    : split_list(flags.text("kernels", "own,vendor+alg2"));
  const double target = std::stod(flags.text("target-seconds", cpu ? "1.5" : "0"));
  MachineInfo machine = describe_machine();
  std::vector<TrainingResult> results;
  for (const std::string& dataset : split_list(flags.text("data", default_data))) {
    TrainingSpec data_spec = base_spec(flags, device);
    data_spec.dataset = dataset;
    const TrainingData data = prepare_data(data_spec);
    if (flags.has("touched")) {
      print_touched(std::cout, dataset, data, data_spec);
      continue;
    }
    if (flags.has("model")) {
      const EpochShape shape = epoch_shape(dataset, data.train, data_spec.hidden, data_spec.batch_size, data_spec.seed);
      for (const std::string& gpu : split_list(flags.text("model", "h100"))) print_model(std::cout, shape, gpu_spec(gpu));
      if (flags.has("no-train")) continue;
    }
    for (const std::string& kernels : kernel_specs) {
      TrainingSpec spec = base_spec(flags, device);
      spec.dataset = dataset;
      spec.kernels = kernels;
      std::cerr << "[bench_training] " << dataset << " on " << device << " (" << kernels << ")\n";
      results.push_back(run_training(spec, data));
      if (flags.has("profile")) print_profile(std::cout, spec, profile_epoch(spec, data));
      std::cerr << "[bench_training]   median epoch " << results.back().median_epoch_seconds << " s\n";
    }
  }
  if (!cpu) machine.gpu = results.empty() ? "" : results.front().backend;
  std::cout << "Machine: " << machine_summary(machine) << "\n\n";
  print_table(std::cout, results);
  if (target > 0 && !results.empty()) {
    const double epoch = results.front().median_epoch_seconds;
    std::cout << "\nTarget: " << results.front().spec.dataset << " epoch <= " << target << " s: "
              << (epoch <= target ? "MET" : "NOT MET") << " (" << epoch << " s)\n";
  }
  const std::string out_dir = flags.text("out", "");
  if (!out_dir.empty()) std::filesystem::create_directories(out_dir);
  const std::string json = flags.text("json", out_dir.empty() ? "" : out_dir + "/training_" + device + ".json");
  if (!json.empty()) write_json(json, machine, results, target);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "bench_training: " << error.what() << "\n";
    return 2;
  }
}
