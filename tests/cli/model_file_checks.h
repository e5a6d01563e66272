// What every model kind's checkpoint must serve as a --model-file: eval reproducing the training run's
// test RMSE (and ranking), predict at two pairs, recommend three items for one user.
#pragma once

#include <algorithm>
#include <string>

#include "autorec/checkpoint.h"
#include "cli_fixture.h"

namespace autorec::test {

inline std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// `model_file` was written, in tiny's folder, by the training run whose --json output is `trained_json`.
inline void check_model_file_commands(const TinyData& tiny, const std::string& model_file,
                                      const std::string& trained_json) {
  const Checkpoint checkpoint = load_checkpoint(tiny.dir.path() / model_file);
  const CliResult eval = run_cli(tiny.dir.path(), {"eval", "--model-file", model_file, "--json", "--ranking-k", "5"});
  INFO(eval.err);
  REQUIRE(eval.exit_code == 0);
  REQUIRE(json_value(trained_json, "test_rmse"));
  CHECK(json_value(eval.out, "test_rmse") == json_value(trained_json, "test_rmse"));
  CHECK(json_number(eval.out, "hit_rate") >= 0.0);

  const IdMap& users = *checkpoint.inputs->user_ids;
  const IdMap& items = *checkpoint.inputs->item_ids;
  tiny.dir.write("pairs.txt", users.raw_id(0) + "," + items.raw_id(0) + "\n" + users.raw_id(1) + "," +
                                  items.raw_id(2) + "\n");
  const CliResult predicted = run_cli(tiny.dir.path(), {"predict", "--model-file", model_file, "--input", "pairs.txt"});
  INFO(predicted.err);
  REQUIRE(predicted.exit_code == 0);
  CHECK(line_count(predicted.out) == 3);  // header + 2 pairs

  const CliResult top =
      run_cli(tiny.dir.path(), {"recommend", "--model-file", model_file, "--users", users.raw_id(0), "--top", "3"});
  INFO(top.err);
  REQUIRE(top.exit_code == 0);
  CHECK(line_count(top.out) == 4);  // header + 3 items
}

}  // namespace autorec::test
