#include "progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace autorec::cli {
namespace {

constexpr int kBarWidth = 30;
constexpr double kRedrawSeconds = 0.1;  // redrawing on every batch would dominate small batches

}  // namespace

std::string format_duration(double seconds) {
  char text[32];
  const auto s = static_cast<long>(std::lround(std::max(seconds, 0.0)));
  if (s < 60) {
    std::snprintf(text, sizeof text, "%lds", s);
  } else if (s < 3600) {
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  }
  return text;
}

ProgressReporter::ProgressReporter(bool quiet, int max_epochs, int patience)
    : quiet_(quiet),
      terminal_(::isatty(STDERR_FILENO) == 1),
      max_epochs_(max_epochs),
      patience_(patience),
      epoch_start_(Clock::now()) {}

int ProgressReporter::last_epoch_if_no_improvement(int epoch) const {
  if (patience_ <= 0 || best_epoch_ == 0) return max_epochs_;
  return std::max(epoch, std::min(max_epochs_, best_epoch_ + patience_));
}

void ProgressReporter::on_batch(int epoch, std::int64_t batch, std::int64_t batches) {
  if (quiet_ || !terminal_) return;
  const auto now = Clock::now();
  if (batch == 1) epoch_start_ = now;
  if (batch < batches && std::chrono::duration<double>(now - last_draw_).count() < kRedrawSeconds) return;
  last_draw_ = now;
  const double fraction = static_cast<double>(batch) / static_cast<double>(batches);
  const double elapsed = std::chrono::duration<double>(now - epoch_start_).count();
  const double epoch_eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0.0;
  // The run's ETA: until the epoch early stopping ends on if no better epoch comes (each better epoch
  // moves it later), never past the epoch limit.
  const double per_epoch = epochs_seen_ > 0 ? seconds_per_epoch_ : elapsed / std::max(fraction, 1e-9);
  const double run_eta = epoch_eta + per_epoch * (last_epoch_if_no_improvement(epoch) - epoch);
  const int filled = static_cast<int>(fraction * kBarWidth);
  std::fprintf(stderr, "\r\033[Kepoch %d/%d [%s%s] %3.0f%%  ETA epoch %s, run %s%s", epoch, max_epochs_,
               std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(kBarWidth - filled), '.').c_str(), 100 * fraction,
               format_duration(epoch_eta).c_str(), format_duration(run_eta).c_str(), last_epoch_.c_str());
  std::fflush(stderr);
  bar_visible_ = true;
}

void ProgressReporter::clear_bar() {
  if (!bar_visible_) return;
  std::fprintf(stderr, "\r\033[K");
  bar_visible_ = false;
}

void ProgressReporter::on_epoch(const EpochRecord& record, bool is_best) {
  ++epochs_seen_;
  seconds_per_epoch_ += (record.seconds - seconds_per_epoch_) / epochs_seen_;
  if (is_best && !std::isnan(record.validation_rmse)) best_epoch_ = record.epoch;
  if (quiet_) return;
  clear_bar();
  if (!legend_shown_ && !std::isnan(record.validation_rmse)) {
    std::fprintf(stderr,
                 "(* = best validation RMSE so far: those weights are kept; ETA = time until early stopping "
                 "if no better epoch comes, at most until --epochs %d)\n",
                 max_epochs_);
    legend_shown_ = true;
  }
  char last[96];
  std::snprintf(last, sizeof last, "  | last: loss %.4g, validation RMSE %.4f", record.train_loss,
                record.validation_rmse);
  last_epoch_ = last;
  char validation[48] = "";
  if (!std::isnan(record.validation_rmse)) {
    std::snprintf(validation, sizeof validation, "  validation RMSE %.4f%s", record.validation_rmse,
                  is_best ? " *" : "");
  }
  std::fprintf(stderr, "epoch %4d  loss %.5g  train RMSE %.4f%s  %.2fs  ETA %s\n", record.epoch, record.train_loss,
               record.train_rmse, validation, record.seconds,
               format_duration(seconds_per_epoch_ * (last_epoch_if_no_improvement(record.epoch) - record.epoch))
                   .c_str());
  std::fflush(stderr);
}

}  // namespace autorec::cli
