#include "autorec/lr_schedule.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <utility>

#include "autorec/error.h"
#include "autorec/trainer.h"

namespace autorec {
namespace {

constexpr std::array<std::pair<const char*, LrScheduleKind>, 4> kSchedules = {{{"constant", LrScheduleKind::Constant},
                                                                               {"step", LrScheduleKind::Step},
                                                                               {"cosine", LrScheduleKind::Cosine},
                                                                               {"plateau", LrScheduleKind::Plateau}}};

// Decays of a plateau schedule before `epoch`: the trainer's notion of "better" (finite, below the best).
int plateau_decays(const LrSchedule& s, int epoch, const std::vector<EpochRecord>& earlier) {
  double best = 0.0;
  bool have_best = false;
  int waited = 0, decays = 0;
  const auto finished = std::min<std::size_t>(earlier.size(), static_cast<std::size_t>(std::max(epoch - 1, 0)));
  for (std::size_t e = 0; e < finished; ++e) {
    const double rmse = earlier[e].validation_rmse;
    if (std::isfinite(rmse) && (!have_best || rmse < best)) {
      best = rmse;
      have_best = true;
      waited = 0;
    } else if (++waited >= s.plateau_patience) {
      ++decays;
      waited = 0;
    }
  }
  return decays;
}

}  // namespace

LrScheduleKind parse_lr_schedule(const std::string& name) {
  std::string choices;
  for (const auto& [text, kind] : kSchedules) {
    if (name == text) return kind;
    choices += choices.empty() ? text : std::string(", ") + text;
  }
  throw ConfigError("unknown learning-rate schedule '" + name + "' (expected one of: " + choices + ")");
}

std::string lr_schedule_name(LrScheduleKind kind) {
  for (const auto& [text, k] : kSchedules) {
    if (k == kind) return text;
  }
  return "?";
}

void check_lr_schedule(const LrSchedule& s) {
  AUTOREC_CONFIG_CHECK(s.factor > 0.0f && s.factor < 1.0f, "learning-rate decay factor must be in (0, 1), got ",
                       s.factor);
  AUTOREC_CONFIG_CHECK(s.step_epochs >= 1, "learning-rate step interval must be >= 1 epoch, got ", s.step_epochs);
  AUTOREC_CONFIG_CHECK(s.plateau_patience >= 1, "learning-rate plateau patience must be >= 1 epoch, got ",
                       s.plateau_patience);
  AUTOREC_CONFIG_CHECK(s.min_rate >= 0.0f, "minimum learning rate must be >= 0, got ", s.min_rate);
}

float scheduled_learning_rate(const LrSchedule& s, float base_rate, int max_epochs, int epoch,
                              const std::vector<EpochRecord>& earlier) {
  const double base = base_rate, floor = std::min(s.min_rate, base_rate);
  double rate = base;
  switch (s.kind) {
    case LrScheduleKind::Constant:
      return base_rate;
    case LrScheduleKind::Step:
      rate = base * std::pow(static_cast<double>(s.factor), (std::max(epoch, 1) - 1) / s.step_epochs);
      break;
    case LrScheduleKind::Cosine: {
      const double progress = max_epochs > 0 ? std::clamp((epoch - 1.0) / max_epochs, 0.0, 1.0) : 0.0;
      rate = floor + (base - floor) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
      break;
    }
    case LrScheduleKind::Plateau:
      rate = base * std::pow(static_cast<double>(s.factor), plateau_decays(s, epoch, earlier));
      break;
  }
  return static_cast<float>(std::max(rate, floor));
}

}  // namespace autorec
