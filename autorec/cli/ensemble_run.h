// One training run of an ensemble (--model item+user): each member trained by train_run on the same
// split with its own early stopping, the blend fitted on the validation ratings only, then the test
// metrics of the blend and one checkpoint holding the members and the blend weights.
#pragma once

#include <functional>
#include <vector>

#include "ensemble_options.h"
#include "train_run.h"

namespace autorec::cli {

// `settings` is the ensemble's (its record, --checkpoint, quiet, device); `members` each member's.
// The outcome's members list each member's validation RMSE and blend weight (the baseline's too).
RunOutcome train_ensemble_run(const TrainSettings& settings, const std::vector<MemberSettings>& members,
                              const RunData& run, const std::function<void(const RunOutcome&)>& on_results = nullptr);

}  // namespace autorec::cli
