// The ensemble through the CLI: `train --model item+user+baseline` reports each member's validation
// RMSE and blend weight, writes one checkpoint that eval, predict and recommend use like any model's;
// export and --resume are refused with clear errors; bad member lists are usage errors.
#include <algorithm>
#include <filesystem>

#include "autorec/checkpoint.h"
#include "cli_fixture.h"
#include "model_file_checks.h"

namespace autorec::test {
namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

TEST_CASE("train --model item+user+baseline: members, blend and a checkpoint eval, predict and recommend use",
          "[cli][ensemble]") {
  TinyData tiny;
  const CliResult trained =
      tiny.train({"--model", "item+user+baseline", "--epochs", "6", "--checkpoint", "e.ckpt", "--json"});
  INFO(trained.err);
  REQUIRE(trained.exit_code == 0);
  CHECK(json_value(trained.out, "model")->find("I-AutoRec hidden 8") != std::string::npos);
  CHECK(json_value(trained.out, "model")->find("U-AutoRec hidden 8") != std::string::npos);
  for (const char* member : {"\"item\"", "\"user\"", "\"baseline\""}) CHECK(count_of(trained.out, member) == 1);
  CHECK(count_of(trained.out, "\"weight\"") == 3);
  CHECK(count_of(trained.out, "\"blend_intercept\"") == 1);
  const Checkpoint checkpoint = load_checkpoint(tiny.dir.path() / "e.ckpt");
  CHECK(checkpoint.model.kind == "ensemble");
  CHECK(checkpoint.member_parameters.size() == 2);

  check_model_file_commands(tiny, "e.ckpt", trained.out);

  const CliResult exported = run_cli(tiny.dir.path(), {"export", "--model-file", "e.ckpt", "--out", "ex"});
  CHECK(exported.exit_code == 2);
  CHECK(exported.err.find("holds an ensemble") != std::string::npos);
  CHECK(!std::filesystem::exists(tiny.dir.path() / "ex"));

  const CliResult text = tiny.train({"--model", "item+user", "--epochs", "3"});
  INFO(text.err);
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("blend:   item validation") != std::string::npos);
  CHECK(text.out.find("; user validation") != std::string::npos);
}

TEST_CASE("the default model is the ensemble of I- and U-AutoRec, MF and the baseline", "[cli][ensemble]") {
  TinyData tiny;
  const CliResult r = run_cli(tiny.dir.path(), {"train", "--data", tiny.data, "--hidden", "8", "--epochs", "2",
                                                "--quiet", "--threads", "1", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* member : {"\"name\":\"item\"", "\"name\":\"user\"", "\"name\":\"mf\"", "\"name\":\"baseline\""}) {
    CHECK(count_of(r.out, member) == 1);
  }
  CHECK(json_value(r.out, "model")->find("dropout 50%") != std::string::npos);  // the ensemble's AutoRec default
}

TEST_CASE("an ensemble works with --runs and refuses --resume and bad member lists", "[cli][ensemble][errors]") {
  TinyData tiny;
  const CliResult runs = tiny.train({"--model", "item+mf", "--epochs", "3", "--runs", "2", "--json"});
  INFO(runs.err);
  REQUIRE(runs.exit_code == 0);
  CHECK(count_of(runs.out, "\"blend_intercept\"") == 3);  // the first run's at the top, then one per run
  CHECK(count_of(runs.out, "\"name\":\"mf\"") == 3);

  const CliResult resume = tiny.train({"--model", "item+user", "--resume", "x.ckpt"});
  CHECK(resume.exit_code == 2);
  CHECK(resume.err.find("--resume does not work with an ensemble") != std::string::npos);
  const CliResult unknown = tiny.train({"--model", "item+svd"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("'svd' is not an ensemble member") != std::string::npos);
  const CliResult twice = tiny.train({"--model", "item+item"});
  CHECK(twice.exit_code == 2);
  CHECK(twice.err.find("named twice") != std::string::npos);
  const CliResult alone = tiny.train({"--model", "baseline+"});
  CHECK(alone.exit_code == 2);
  const CliResult factors = tiny.train({"--model", "item+user", "--factors", "8"});
  CHECK(factors.exit_code == 2);
  CHECK(factors.err.find("--factors") != std::string::npos);
  CHECK(factors.err.find("has none") != std::string::npos);
  const CliResult hidden = run_cli(tiny.dir.path(), {"train", "--data", tiny.data, "--model", "mf+baseline", "--hidden", "8"});
  CHECK(hidden.exit_code == 2);
  CHECK(hidden.err.find("--hidden") != std::string::npos);
  // Options an ensemble cannot honour are refused, not ignored.
  const CliResult bf16 = run_cli(tiny.dir.path(), {"train", "--data", tiny.data, "--model", "mf+baseline", "--precision", "bf16"});
  CHECK(bf16.exit_code == 2);
  CHECK(bf16.err.find("--precision") != std::string::npos);
  const CliResult every = tiny.train({"--model", "item+user", "--checkpoint-every", "2"});
  CHECK(every.exit_code == 2);
  CHECK(every.err.find("--checkpoint-every") != std::string::npos);
  // The schedule's floor is checked against every member's rate: MF's default is 0.01, AutoRec's 0.002.
  const CliResult floor = run_cli(tiny.dir.path(), {"train", "--data", tiny.data, "--model", "mf+item", "--lr-schedule",
                                                    "cosine", "--lr-min", "0.005"});
  CHECK(floor.exit_code == 2);
  CHECK(floor.err.find("the item model's default") != std::string::npos);
}

}  // namespace
}  // namespace autorec::test
