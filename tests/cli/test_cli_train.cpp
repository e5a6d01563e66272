// autorec train end to end: the JSON result, the log files, repeated runs, config files, resume
// and Ctrl-C.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <thread>

#include "autorec/checkpoint.h"
#include "cli_fixture.h"

namespace autorec::test {
namespace {

int count_lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST_CASE("train --json prints one object with the result keys", "[cli][train]") {
  TinyData tiny;
  const CliResult r = tiny.train({"--epochs", "3", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(count_lines(r.out) == 1);
  CHECK(r.out.front() == '{');
  const double test_ratings = json_number(r.out, "test_ratings");
  CHECK(test_ratings == std::round(0.1 * kTinyRatings));  // the paper's 90/10 holdout
  CHECK(json_number(r.out, "train_ratings") + test_ratings == kTinyRatings);
  CHECK(json_number(r.out, "validation_ratings") == std::round(0.1 * (kTinyRatings - test_ratings)));
  const double rmse = json_number(r.out, "test_rmse"), mae = json_number(r.out, "test_mae");
  CHECK(rmse > 0.0);
  CHECK(rmse < 4.0);  // clipped to the 1..5 range
  CHECK(mae <= rmse);
  CHECK(json_number(r.out, "epochs") == 3);
  CHECK(json_number(r.out, "best_epoch") >= 1);
  CHECK(json_number(r.out, "seconds") > 0);
  CHECK(json_number(r.out, "peak_memory_bytes") > 0);
  CHECK(json_value(r.out, "device")->rfind("cpu", 0) == 0);
  // The bias baseline on the same split: a real RMSE, not a placeholder.
  const double baseline = json_number(r.out, "baseline_rmse");
  CHECK(baseline > 0.0);
  CHECK(baseline < 4.0);
  CHECK(baseline != rmse);
}

TEST_CASE("train --log-dir writes a JSON line per epoch and an SVG curve", "[cli][train]") {
  TinyData tiny;
  const CliResult r = tiny.train({"--epochs", "4", "--log-dir", "logs"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string log = read_text(tiny.dir.path() / "logs" / "train.jsonl");
  REQUIRE(count_lines(log) == 4);
  std::istringstream lines(log);
  std::string line;
  for (int epoch = 1; std::getline(lines, line); ++epoch) {
    CHECK(json_number(line, "epoch") == epoch);
    CHECK(json_number(line, "train_rmse") > 0);
    CHECK(json_number(line, "validation_rmse") > 0);
    CHECK(json_value(line, "train_loss"));
    CHECK(json_value(line, "seconds"));
  }
  const std::string svg = read_text(tiny.dir.path() / "logs" / "training_curve.svg");
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.find("</svg>") != std::string::npos);
  std::size_t lines_drawn = 0;
  for (auto at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++lines_drawn;
  CHECK(lines_drawn == 2);                                  // train and validation
  CHECK(svg.find("validation RMSE") != std::string::npos);  // the legend
}

TEST_CASE("train --runs reports per-run values, mean and 95% CI", "[cli][train]") {
  TinyData tiny;
  const CliResult r = tiny.train({"--epochs", "2", "--runs", "3", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json_number(r.out, "runs_count") == 3);
  const double mean = json_number(r.out, "test_rmse_mean");
  CHECK(json_number(r.out, "test_rmse") == mean);
  CHECK(json_number(r.out, "test_rmse_ci95") > 0);  // different splits give different RMSEs
  // The per-run objects: three test_rmse values after "runs", averaging to the mean.
  const std::string runs = r.out.substr(r.out.find("\"runs\":"));
  double sum = 0;
  int count = 0;
  for (auto at = runs.find("\"test_rmse\":"); at != std::string::npos; at = runs.find("\"test_rmse\":", at + 1)) {
    sum += json_number(runs.substr(at), "test_rmse");
    ++count;
  }
  CHECK(count == 3);
  CHECK(sum / 3 == Approx(mean).epsilon(1e-6));
  // The baseline over the same splits and the paired difference model - baseline.
  const double baseline = json_number(r.out, "baseline_rmse_mean");
  CHECK(json_number(r.out, "baseline_rmse_ci95") > 0);
  CHECK(json_number(r.out, "rmse_minus_baseline_mean") == Approx(mean - baseline).epsilon(1e-6));
}

TEST_CASE("command-line flags override the config file", "[cli][config]") {
  TinyData tiny;
  tiny.dir.write("run.conf", "# tiny run\nepochs = 5   # overridden below\nhidden = 8\n\nvalidation-fraction = 0.2\n");
  const CliResult r = tiny.train({"--config", "run.conf", "--epochs", "2", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json_number(r.out, "epochs") == 2);
  CHECK(json_number(r.out, "validation_ratings") == std::round(0.2 * json_number(r.out, "train_ratings")));
}

TEST_CASE("train 2 epochs + resume to 4 gives the same result as 4 epochs", "[cli][resume]") {
  TinyData tiny;
  const CliResult direct = tiny.train({"--epochs", "4", "--json"});
  REQUIRE(direct.exit_code == 0);
  REQUIRE(tiny.train({"--epochs", "2", "--checkpoint", "run.ckpt"}).exit_code == 0);
  const CliResult resumed = tiny.train({"--epochs", "4", "--resume", "run.ckpt", "--checkpoint", "run.ckpt", "--json"});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(json_value(resumed.out, "test_rmse") == json_value(direct.out, "test_rmse"));
  CHECK(json_value(resumed.out, "best_validation_rmse") == json_value(direct.out, "best_validation_rmse"));
  CHECK(json_number(resumed.out, "epochs") == 4);
  CHECK(load_checkpoint(tiny.dir.path() / "run.ckpt").progress.history.size() == 4);

  SECTION("a checkpoint of another run is refused") {
    const CliResult other = tiny.train({"--epochs", "4", "--split-seed", "2", "--resume", "run.ckpt"});
    CHECK(other.exit_code == 2);
    CHECK(other.err.find("run.ckpt") != std::string::npos);
    CHECK(other.err.find("another run") != std::string::npos);
  }
}

TEST_CASE("Ctrl-C saves a checkpoint and exits with 130", "[cli][interrupt]") {
  TinyData tiny;
  const int pid = start_cli(tiny.dir.path(),
                            {"train", "--data", tiny.data, "--model", "item", "--hidden", "8", "--threads", "1", "--epochs", "1000000",
                             "--patience", "1000000", "--checkpoint", "run.ckpt", "--checkpoint-every", "1000000"});
  // Wait until training runs (the log line of epoch 1 on stderr), then interrupt.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (read_text(tiny.dir.path() / ".stderr").find("epoch    2") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string err = read_text(tiny.dir.path() / ".stderr");
  INFO(err);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(err.find("interrupted") != std::string::npos);
  const Checkpoint saved = load_checkpoint(tiny.dir.path() / "run.ckpt");  // complete and valid
  CHECK(saved.progress.history.size() >= 2);
}

}  // namespace
}  // namespace autorec::test
