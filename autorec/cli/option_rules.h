// Rules over option values and combinations, applied before any slow work (docs/usage.md, "Options"):
// every value parsed, the input paths checked, and the `train` options that have no effect with the
// other options given (errors that name the option that makes them meaningless). Names: option_names.h.
#pragma once

#include <string>
#include <vector>

#include "option_names.h"
#include "options.h"

namespace autorec::cli {

// `autorec train`: every value parsed and every combination checked, without loading anything.
void validate_train_options(const Options& options);

// eval, predict, recommend, export: the same before the model is loaded (values, the model file and
// the input files exist, required and contradictory flags).
void validate_model_command_options(const Options& options);

// synth: --out given and not a folder (its counts are checked where they are read, before any work).
void validate_synth_options(const Options& options);

}  // namespace autorec::cli
