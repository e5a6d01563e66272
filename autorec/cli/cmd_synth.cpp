// autorec synth: a synthetic rating file of any size, written one user at a time
// (autorec::stream_ratings), so 10^9 ratings need memory for the users and items only.
#include <iostream>

#include "autorec/data/synthetic.h"
#include "commands.h"
#include "output_guard.h"
#include "usage_error.h"

namespace autorec::cli {

int run_synth(const Options& options) {
  if (!options.has("out")) throw UsageError("autorec synth needs --out PATH");
  SynthOptions synth;
  constexpr std::int64_t kMaxRatings = 1'000'000'000;
  synth.n_users = options.integer("n-users", synth.n_users, 1, INT32_MAX);
  synth.n_items = options.integer("n-items", synth.n_items, 1, INT32_MAX);
  synth.n_ratings = options.integer("n-ratings", synth.n_ratings, 1, kMaxRatings);
  synth.seed = options.seed("seed", synth.seed);
  const std::string format = options.choice("synth-format", "csv", {"csv", "ml-1m"});
  validate(synth);  // std::invalid_argument (exit 2) for impossible sizes
  OutputGuard(options).output("out", OutputKind::rating_file);
  const std::string path = options.text("out");
  stream_ratings(synth, path, format == "csv" ? SynthFileFormat::csv : SynthFileFormat::ml_1m);
  std::cerr << "wrote " << synth.n_ratings << " ratings (" << synth.n_users << " users, " << synth.n_items
            << " items, seed " << synth.seed << ") to " << path << "\n";
  return 0;
}

}  // namespace autorec::cli
