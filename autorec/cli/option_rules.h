// Rules over option names and combinations, applied before any slow work (docs/usage.md, "Options"):
// near-miss suggestions for unknown names, the old spellings of renamed options (errors that name the
// new one), and the `train` options that have no effect with the other options given (errors that name
// the option that makes them meaningless).
#pragma once

#include <string>
#include <vector>

#include "options.h"

namespace autorec::cli {

// " (did you mean --epochs?)" for the closest of `candidates` within a small edit distance, else "".
// `prefix` is put before the suggested name ("--" for options, "" for commands and values).
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates,
                         const std::string& prefix);

// The same for a library's "unknown ... (expected a, b or c)" message: the suggestion among the names
// the message lists, or "".
std::string did_you_mean_listed(const std::string& value, const std::string& message);

// Throws UsageError when `name` is an old spelling of an option of `command` ("--users for autorec
// synth is now --n-users"). Called for names the command does not accept.
void check_renamed(const std::string& command, const std::string& name, const std::string& origin);

// `autorec train`: every value parsed and every combination checked, without loading anything.
void validate_train_options(const Options& options);

// eval, predict, recommend, export: the same before the model is loaded (values, the model file and
// the input files exist, required and contradictory flags).
void validate_model_command_options(const Options& options);

// synth: --out given and not a folder (its counts are checked where they are read, before any work).
void validate_synth_options(const Options& options);

}  // namespace autorec::cli
