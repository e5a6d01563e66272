// Learning-rate schedules: the rate of each epoch as a pure function of the schedule, the base rate,
// the epoch limit and the validation RMSEs of the epochs before it. The trainer sets it on the
// optimizer before every epoch (engine::Optimizer::set_learning_rate). Being a function of the saved
// history, a resumed run continues the schedule exactly with nothing more in the checkpoint than
// the schedule's settings.
//
//   constant  base
//   step      max(min, base * factor^floor((epoch - 1) / step_epochs))
//   cosine    min + (base - min) * (1 + cos(pi * (epoch - 1) / max_epochs)) / 2   (over the epoch limit)
//   plateau   max(min, base * factor^k), k = the reductions so far: one each time `plateau_patience`
//             epochs pass without a better validation RMSE (counted afresh after each reduction)
#pragma once

#include <string>
#include <vector>

namespace autorec {

struct EpochRecord;

enum class LrScheduleKind { Constant, Step, Cosine, Plateau };

LrScheduleKind parse_lr_schedule(const std::string& name);  // "constant", "step", "cosine", "plateau"
std::string lr_schedule_name(LrScheduleKind kind);

struct LrSchedule {
  LrScheduleKind kind = LrScheduleKind::Constant;
  float factor = 0.5f;       // step, plateau: the rate is multiplied by this at each decay
  int step_epochs = 20;      // step: epochs between decays
  int plateau_patience = 3;  // plateau: epochs without a better validation RMSE before a decay
  float min_rate = 0.0f;     // step, cosine, plateau: the floor (cosine's end point)

  bool operator==(const LrSchedule&) const = default;
};

// Throws ConfigError for a factor outside (0, 1), a non-positive interval or patience, or a negative
// floor.
void check_lr_schedule(const LrSchedule& schedule);

// The learning rate of `epoch` (1-based). `earlier` holds the finished epochs 1 .. epoch - 1 (only
// plateau reads them: their validation RMSEs, NaN never counting as better).
float scheduled_learning_rate(const LrSchedule& schedule, float base_rate, int max_epochs, int epoch,
                              const std::vector<EpochRecord>& earlier);

}  // namespace autorec
