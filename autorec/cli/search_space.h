// The search space of `autorec tune`: for each tuned `autorec train` option, a list of values to
// choose from or a range to draw from (uniform or log-uniform; integers when both ends are).
// Declared in a JSON file (--space FILE, docs/usage.md) or the default space; sampled with a
// counter-based generator, so trial t of seed s is the same on every machine and in every run.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace autorec::cli {

struct Dimension {
  enum class Kind { Choice, Uniform, LogUniform };
  std::string option;                // a train option without "--": "lr", "hidden", ...
  Kind kind = Kind::Choice;
  std::vector<std::string> choices;  // Choice: option texts
  double low = 0.0, high = 0.0;      // Uniform, LogUniform
  bool integer = false;              // both ends were integers: draws are rounded
};

struct SearchSpace {
  std::string origin;  // the file, or "the default space", for messages
  std::vector<Dimension> dimensions;
};

// The options a space may tune (the model and training options of `autorec train`).
const std::vector<std::string>& tunable_options();

// The default space for a --model kind: AutoRec's (lr, lambda, hidden, dropout, batch size,
// schedule, epochs) or, for mf and mf-user, matrix factorisation's (factors instead of hidden and
// dropout, a smaller lambda range).
SearchSpace default_search_space(const std::string& model);

// Reads a JSON object {"option": spec, ...}, spec one of: a value (fixed), [v1, v2, ...] or
// {"choice": [...]}, {"uniform": [low, high]}, {"log_uniform": [low, high]}. Throws UsageError naming
// the file and the key for anything else (bad JSON, an unknown or untunable option, an empty choice,
// an empty or reversed range, a log range not above zero).
SearchSpace load_search_space(const std::string& path);

// Trial `trial` (0-based) of the search seeded by `seed`: one (option, text) per dimension, in the
// space's order. Real values are rounded to 3 significant digits (short config files; the trial ran
// with exactly the value written).
std::vector<std::pair<std::string, std::string>> sample_trial(const SearchSpace& space, std::uint64_t seed, int trial);

}  // namespace autorec::cli
