#include "train_report.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "autorec/json_writer.h"
#include "progress.h"
#include "statistics.h"

namespace autorec::cli {
namespace {

std::string mebibytes(std::size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

// The process's peak resident memory (host side, all allocations, not only the engine's).
std::size_t host_peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

std::vector<double> collect(const std::vector<RunOutcome>& runs, double (*field)(const RunOutcome&)) {
  std::vector<double> values;
  for (const RunOutcome& r : runs) values.push_back(field(r));
  return values;
}
double rmse_of(const RunOutcome& r) { return r.test.rmse; }
double mae_of(const RunOutcome& r) { return r.test.mae; }
double baseline_of(const RunOutcome& r) { return r.baseline_rmse; }
double over_baseline_of(const RunOutcome& r) { return r.test.rmse - r.baseline_rmse; }

void write_run(JsonWriter& json, const RunOutcome& r) {
  json.field("test_rmse", r.test.rmse)
      .field("test_mae", r.test.mae)
      .field("baseline_rmse", r.baseline_rmse)
      .field("cold_start", static_cast<std::uint64_t>(r.test.cold_start))
      .field("best_epoch", r.best_epoch)
      .field("best_validation_rmse", r.best_validation_rmse)
      .field("epochs", r.epochs)
      .field("stop_reason", r.stop_reason)
      .field("seconds", r.seconds)
      .field("peak_memory_bytes", static_cast<std::uint64_t>(r.peak_memory_bytes));
  if (r.members.empty()) return;
  json.key("members").begin_array();
  for (const MemberOutcome& m : r.members) {
    json.begin_object().field("name", m.name).field("best_validation_rmse", m.best_validation_rmse);
    json.field("best_epoch", m.best_epoch).field("epochs", m.epochs).field("weight", m.weight).end_object();
  }
  json.end_array().field("blend_intercept", r.blend_intercept);
}

// An ensemble's members: each one's validation RMSE (what its early stopping and the blend saw) and
// its blend weight.
std::string blend_line(const RunOutcome& r) {
  std::ostringstream out;
  char text[160];
  for (const MemberOutcome& m : r.members) {
    if (m.name == "baseline") {
      std::snprintf(text, sizeof text, "baseline validation %.4f weight %.3f; ", m.best_validation_rmse, m.weight);
    } else {
      std::snprintf(text, sizeof text, "%s validation %.4f (best epoch %d) weight %.3f; ", m.name.c_str(),
                    m.best_validation_rmse, m.best_epoch, m.weight);
    }
    out << text;
  }
  std::snprintf(text, sizeof text, "intercept %.3f; blend validation %.4f", r.blend_intercept, r.best_validation_rmse);
  return out.str() + text;
}

std::string summary_line(const RunOutcome& r) {
  std::ostringstream out;
  char metrics[96];
  std::snprintf(metrics, sizeof metrics, "test RMSE %.4f  MAE %.4f  (bias baseline %.4f)", r.test.rmse, r.test.mae,
                r.baseline_rmse);
  if (!r.members.empty()) {
    out << metrics << "  (" << r.epochs << " epochs in all, " << format_duration(r.seconds) << ")";
    return out.str();
  }
  out << metrics << "  (" << r.epochs << " epochs, best " << r.best_epoch << ", " << format_duration(r.seconds) << ")";
  return out.str();
}

// The top-level values of the JSON object: the run itself, or over several runs the mean metrics,
// the total time, the largest peak and the first run's epochs.
RunOutcome combined(const std::vector<RunOutcome>& runs) {
  RunOutcome all = runs.front();
  if (runs.size() == 1) return all;
  all.test.rmse = mean_ci95(collect(runs, rmse_of)).mean;
  all.test.mae = mean_ci95(collect(runs, mae_of)).mean;
  all.baseline_rmse = mean_ci95(collect(runs, baseline_of)).mean;
  all.seconds = 0;
  for (const RunOutcome& r : runs) {
    all.seconds += r.seconds;
    all.peak_memory_bytes = std::max(all.peak_memory_bytes, r.peak_memory_bytes);
  }
  return all;
}

}  // namespace

std::string train_report_text(const TrainReport& report) {
  std::ostringstream out;
  out << "model:   " << report.model << ", " << report.optimizer << "\n"
      << "data:    " << report.source << "\n"
      << "split:   " << report.protocol << ": " << report.train_ratings << " train ratings ("
      << report.validation_ratings << " of them for validation), " << report.test_ratings << " test ratings, "
      << report.cold_start << " cold start\n";
  if (report.runs.size() == 1) {
    out << "result:  " << summary_line(report.runs.front()) << "\n";
    out << "stopped: " << report.runs.front().stop_description << "\n";
    if (!report.runs.front().members.empty()) out << "blend:   " << blend_line(report.runs.front()) << "\n";
  } else {
    for (std::size_t i = 0; i < report.runs.size(); ++i) {
      out << "run " << i + 1 << ":   " << summary_line(report.runs[i]) << "; " << report.runs[i].stop_description
          << "\n";
      if (!report.runs[i].members.empty()) out << "         blend: " << blend_line(report.runs[i]) << "\n";
    }
    const MeanInterval rmse = mean_ci95(collect(report.runs, rmse_of));
    const MeanInterval mae = mean_ci95(collect(report.runs, mae_of));
    char line[128];
    std::snprintf(line, sizeof line,
                  "result:  test RMSE %.4f +- %.4f  MAE %.4f +- %.4f (mean, 95%% CI over %zu runs)\n", rmse.mean,
                  rmse.ci95, mae.mean, mae.ci95, report.runs.size());
    out << line;
    const MeanInterval baseline = mean_ci95(collect(report.runs, baseline_of));
    const MeanInterval difference = mean_ci95(collect(report.runs, over_baseline_of));
    std::snprintf(line, sizeof line,
                  "         bias baseline %.4f +- %.4f; model - baseline %+.4f +- %.4f (paired, 95%% CI)\n",
                  baseline.mean, baseline.ci95, difference.mean, difference.ci95);
    out << line;
  }
  if (report.noise_floor) {
    char line[192];
    std::snprintf(line, sizeof line,
                  "context: synthetic data noise floor RMSE %.4f (the best any model can do); predicting the "
                  "global mean gives %.4f\n",
                  report.noise_floor->bayes_rmse, report.noise_floor->rating_stddev);
    out << line;
  }
  std::size_t peak = 0;
  for (const RunOutcome& r : report.runs) peak = std::max(peak, r.peak_memory_bytes);
  out << "device:  " << report.device << ", peak engine memory " << mebibytes(peak) << ", peak process memory "
      << mebibytes(host_peak_rss_bytes()) << "\n";
  return out.str();
}

std::string train_report_json(const TrainReport& report) {
  JsonWriter json;
  json.begin_object().field("command", "train").field("data", report.source).field("protocol", report.protocol);
  json.field("model", report.model).field("optimizer", report.optimizer).field("device", report.device);
  json.field("train_ratings", static_cast<std::uint64_t>(report.train_ratings))
      .field("validation_ratings", static_cast<std::uint64_t>(report.validation_ratings))
      .field("test_ratings", static_cast<std::uint64_t>(report.test_ratings));
  write_run(json, combined(report.runs));
  json.field("host_peak_rss_bytes", static_cast<std::uint64_t>(host_peak_rss_bytes()));
  if (report.noise_floor) {
    json.field("noise_floor_rmse", report.noise_floor->bayes_rmse)
        .field("global_mean_rmse", report.noise_floor->rating_stddev);
  }
  if (report.runs.size() > 1) {
    const MeanInterval rmse = mean_ci95(collect(report.runs, rmse_of));
    const MeanInterval mae = mean_ci95(collect(report.runs, mae_of));
    json.field("test_rmse_mean", rmse.mean).field("test_rmse_ci95", rmse.ci95);
    json.field("test_mae_mean", mae.mean).field("test_mae_ci95", mae.ci95);
    const MeanInterval baseline = mean_ci95(collect(report.runs, baseline_of));
    const MeanInterval difference = mean_ci95(collect(report.runs, over_baseline_of));
    json.field("baseline_rmse_mean", baseline.mean).field("baseline_rmse_ci95", baseline.ci95);
    json.field("rmse_minus_baseline_mean", difference.mean).field("rmse_minus_baseline_ci95", difference.ci95);
    json.field("test_rmse_stddev", rmse.stddev).field("runs_count", static_cast<int>(report.runs.size()));
    json.key("runs").begin_array();
    for (const RunOutcome& r : report.runs) {
      json.begin_object();
      write_run(json, r);
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
  return json.str() + "\n";
}

}  // namespace autorec::cli
