// The training curve as a standalone SVG file, written by hand: train and validation RMSE per
// epoch, axes with "nice" ticks, a legend and a marker at the best validation epoch.
#pragma once

#include <string>
#include <vector>

#include "autorec/trainer.h"

namespace autorec::cli {

std::string training_curve_svg(const std::vector<EpochRecord>& history, int best_epoch, const std::string& title);

// Tick positions covering [low, high] at a 1, 2 or 5 x 10^k step, about `target` of them.
std::vector<double> nice_ticks(double low, double high, int target);

}  // namespace autorec::cli
