// --lr-schedule through the CLI: its parameters checked against the schedule before any data is
// loaded, the rate of every epoch in the log, and --resume continuing the schedule or refusing a
// changed one.
#include <fstream>

#include "cli_fixture.h"

namespace autorec::test {
namespace {

void require_usage_error(const CliResult& r, const std::vector<std::string>& parts) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  for (const std::string& part : parts) CHECK(r.err.find(part) != std::string::npos);
}

TEST_CASE("schedule options are checked against the schedule, naming the option", "[cli][lr-schedule]") {
  TinyData tiny;
  require_usage_error(tiny.train({"--lr-schedule", "cosin"}), {"--lr-schedule", "did you mean cosine?"});
  require_usage_error(tiny.train({"--lr-step", "5"}), {"--lr-step", "--lr-schedule constant (the default)"});
  require_usage_error(tiny.train({"--lr-schedule", "cosine", "--lr-factor", "0.5"}),
                      {"--lr-factor", "--lr-schedule cosine"});
  require_usage_error(tiny.train({"--lr-schedule", "step", "--lr-patience", "2"}), {"--lr-patience", "--lr-schedule step"});
  require_usage_error(tiny.train({"--lr-schedule", "step", "--lr-factor", "1.5"}), {"--lr-factor", "1.5"});
  require_usage_error(tiny.train({"--lr-schedule", "step", "--lr-step", "0"}), {"--lr-step"});
  require_usage_error(tiny.train({"--lr-schedule", "step", "--optimizer", "rprop"}),
                      {"--lr-schedule", "--optimizer rprop"});
  require_usage_error(tiny.train({"--lr-schedule", "plateau", "--validation-fraction", "0"}),
                      {"--lr-schedule", "--validation-fraction 0"});
  require_usage_error(tiny.train({"--lr-schedule", "plateau", "--lr-patience", "10"}),
                      {"--lr-patience 10 must be below --patience 10"});
  require_usage_error(tiny.train({"--lr-schedule", "cosine", "--lr-min", "0.01"}), {"--lr-min", "below the learning rate"});
  // Checked before the data is loaded: a missing data file is not what is reported.
  require_usage_error(run_cli(tiny.dir.path(), {"train", "--data", "tiny.csv", "--lr-schedule", "cosine", "--lr-step",
                                                "3", "--cache", "/nonexistent/x"}),
                      {"--lr-step"});
}

TEST_CASE("the log holds each epoch's scheduled rate", "[cli][lr-schedule]") {
  TinyData tiny;
  const CliResult r = tiny.train({"--epochs", "5", "--lr-schedule", "step", "--lr-step", "2", "--lr-factor", "0.1",
                                  "--log-dir", "logs"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("lr schedule step") != std::string::npos);
  std::ifstream log(tiny.dir.path() / "logs" / "train.jsonl");
  std::vector<double> rates;
  for (std::string line; std::getline(log, line);) rates.push_back(json_number(line, "learning_rate"));
  REQUIRE(rates.size() == 5);
  CHECK(rates[0] == Approx(0.01));
  CHECK(rates[1] == Approx(0.01));
  CHECK(rates[2] == Approx(0.001));
  CHECK(rates[4] == Approx(0.0001));
}

TEST_CASE("resume continues a schedule and refuses a changed one", "[cli][lr-schedule][resume]") {
  TinyData tiny;
  const std::vector<std::string> plateau = {"--lr-schedule", "plateau", "--lr-patience", "1", "--lr", "0.05"};
  auto with = [](std::vector<std::string> base, const std::vector<std::string>& extra) {
    base.insert(base.end(), extra.begin(), extra.end());
    return base;
  };
  const CliResult direct = tiny.train(with(plateau, {"--epochs", "6", "--json"}));
  REQUIRE(direct.exit_code == 0);
  REQUIRE(tiny.train(with(plateau, {"--epochs", "3", "--checkpoint", "run.ckpt"})).exit_code == 0);
  const CliResult resumed = tiny.train(with(plateau, {"--epochs", "6", "--resume", "run.ckpt", "--json"}));
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(json_value(resumed.out, "test_rmse") == json_value(direct.out, "test_rmse"));
  CHECK(json_value(resumed.out, "best_validation_rmse") == json_value(direct.out, "best_validation_rmse"));

  require_usage_error(tiny.train({"--lr", "0.05", "--epochs", "6", "--resume", "run.ckpt"}),
                      {"--lr-schedule plateau", "this command gives constant"});
  require_usage_error(tiny.train({"--lr-schedule", "plateau", "--lr-patience", "2", "--lr", "0.05", "--epochs", "6",
                                  "--resume", "run.ckpt"}),
                      {"--lr-patience 1", "this command gives 2"});
  // Cosine anneals over --epochs: a resume must keep it.
  const std::vector<std::string> cosine = {"--lr-schedule", "cosine", "--epochs", "6"};
  REQUIRE(tiny.train(with(cosine, {"--checkpoint", "cos.ckpt"})).exit_code == 0);
  require_usage_error(tiny.train({"--lr-schedule", "cosine", "--epochs", "8", "--resume", "cos.ckpt"}),
                      {"--epochs 6", "--lr-schedule cosine", "--epochs 8"});
}

}  // namespace
}  // namespace autorec::test
