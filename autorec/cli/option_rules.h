// Rules over option values and combinations, applied before any slow work (docs/usage.md, "Options"):
// every value parsed, the input paths checked, and the `train` options that have no effect with the
// other options given (errors that name the option that makes them meaningless). Names: option_names.h.
#pragma once

#include <string>
#include <vector>

#include "option_names.h"
#include "options.h"

namespace autorec::cli {

// The options that tune a --lr-schedule ("step": lr-factor, lr-step, lr-min; none for "constant").
std::vector<std::string> lr_schedule_parameters(const std::string& schedule);

// The model and training options alone (values, optimizer and schedule combinations): what a tune
// trial checks.
void validate_training_options(const Options& options);

// `autorec train`: every value parsed and every combination checked, without loading anything.
void validate_train_options(const Options& options);

// eval, predict, recommend, export: the same before the model is loaded (values, the model file and
// the input files exist, required and contradictory flags).
void validate_model_command_options(const Options& options);

// synth: --out given and not a folder (its counts are checked where they are read, before any work).
void validate_synth_options(const Options& options);

}  // namespace autorec::cli
