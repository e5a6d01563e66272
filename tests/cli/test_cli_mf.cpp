// The second model through the CLI: `train --model mf` writes a checkpoint that eval, predict,
// recommend, export and --resume use through the same code paths as AutoRec's.
#include <algorithm>

#include "autorec/checkpoint.h"
#include "cli_fixture.h"
#include "model_file_checks.h"

namespace autorec::test {
namespace {

std::vector<std::string> mf_train(std::vector<std::string> extra) {
  std::vector<std::string> args = {"train", "--data", "tiny.csv", "--model", "mf", "--factors", "4",
                                   "--lambda", "2", "--lr", "0.05", "--quiet", "--threads", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST_CASE("train --model mf: eval, predict, recommend and export use its checkpoint", "[cli][mf]") {
  TinyData tiny;
  const CliResult trained = run_cli(tiny.dir.path(), mf_train({"--epochs", "5", "--checkpoint", "mf.ckpt", "--json"}));
  INFO(trained.err);
  REQUIRE(trained.exit_code == 0);
  CHECK(json_value(trained.out, "model")->find("biased MF 4 factors") != std::string::npos);
  const Checkpoint checkpoint = load_checkpoint(tiny.dir.path() / "mf.ckpt");
  CHECK(checkpoint.model.kind == "mf");

  check_model_file_commands(tiny, "mf.ckpt", trained.out);

  const CliResult exported = run_cli(tiny.dir.path(), {"export", "--model-file", "mf.ckpt", "--out", "ex"});
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  const std::string manifest = read_text(tiny.dir.path() / "ex" / "manifest.json");
  CHECK(manifest.find("row_factors.npy") != std::string::npos);
  CHECK(manifest.find("column_biases.npy") != std::string::npos);
  const std::string codes = read_text(tiny.dir.path() / "ex" / "codes.npy");  // the row factors: items x 4
  CHECK(codes.find("(" + std::to_string(checkpoint.inputs->n_items()) + ", 4)") != std::string::npos);
}

TEST_CASE("train --model mf resumes its own checkpoint and refuses another model's", "[cli][mf]") {
  TinyData tiny;
  REQUIRE(run_cli(tiny.dir.path(), mf_train({"--epochs", "4", "--json"})).exit_code == 0);
  const CliResult direct = run_cli(tiny.dir.path(), mf_train({"--epochs", "4", "--json"}));
  REQUIRE(run_cli(tiny.dir.path(), mf_train({"--epochs", "2", "--checkpoint", "half.ckpt"})).exit_code == 0);
  const CliResult resumed = run_cli(tiny.dir.path(), mf_train({"--epochs", "4", "--resume", "half.ckpt", "--json"}));
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(json_value(resumed.out, "test_rmse") == json_value(direct.out, "test_rmse"));

  const CliResult other = run_cli(tiny.dir.path(), {"train", "--data", "tiny.csv", "--model", "item", "--hidden", "8", "--quiet",
                                                    "--threads", "1", "--epochs", "4", "--resume", "half.ckpt"});
  CHECK(other.exit_code == 2);
  CHECK(other.err.find("--model mf, this command gives item") != std::string::npos);
}

TEST_CASE("options of the other model are usage errors", "[cli][mf][errors]") {
  TinyData tiny;
  const CliResult hidden = run_cli(tiny.dir.path(), mf_train({"--hidden", "8"}));
  CHECK(hidden.exit_code == 2);
  CHECK(hidden.err.find("--hidden") != std::string::npos);
  const CliResult factors = run_cli(tiny.dir.path(), {"train", "--data", "tiny.csv", "--model", "item", "--factors", "8"});
  CHECK(factors.exit_code == 2);
  CHECK(factors.err.find("--factors") != std::string::npos);
  const CliResult unknown = run_cli(tiny.dir.path(), {"train", "--data", "tiny.csv", "--model", "svd"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("mf") != std::string::npos);
}

}  // namespace
}  // namespace autorec::test
