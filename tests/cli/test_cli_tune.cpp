// autorec tune end to end: the trial budget (--trials, --time), the same trials for the same seed,
// the test data refused, the JSON-lines log, the best configuration written as a config file that
// autorec train reads back to the same validation RMSE, and bad spaces and flags refused naming them.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "cli_fixture.h"

namespace autorec::test {
namespace {

namespace fs = std::filesystem;

void require_usage_error(const CliResult& r, const std::vector<std::string>& parts) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  for (const std::string& part : parts) CHECK(r.err.find(part) != std::string::npos);
}

// A small space and model so that a trial takes a fraction of a second.
const char* kSpace = R"({"lr": {"log_uniform": [0.003, 0.03]}, "lambda": {"uniform": [1, 50]},
  "hidden": [4, 8], "lr-schedule": ["constant", "step", "cosine", "plateau"], "lr-factor": [0.3, 0.7]})";

CliResult tune(const TinyData& tiny, std::vector<std::string> extra) {
  std::ofstream(tiny.dir.path() / "space.json") << kSpace;
  std::vector<std::string> args = {"tune", "--data", tiny.data, "--space", "space.json", "--epochs", "6",
                                   "--threads", "1", "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(tiny.dir.path(), args);
}

std::vector<std::string> lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A log line without its timing, which differs between runs.
std::string without_seconds(const std::string& line) {
  return std::regex_replace(line, std::regex(R"("seconds":[0-9.eE+-]+)"), "");
}

TEST_CASE("tune runs the trial budget and logs every trial", "[cli][tune]") {
  TinyData tiny;
  const CliResult r = tune(tiny, {"--trials", "3", "--log", "trials.jsonl"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("search:  3 trials in") != std::string::npos);
  CHECK(r.out.find("(the budget, --trials 3)") != std::string::npos);
  const auto log = lines(tiny.dir.path() / "trials.jsonl");
  REQUIRE(log.size() == 3);
  for (std::size_t t = 0; t < log.size(); ++t) {
    INFO(log[t]);
    CHECK(json_number(log[t], "trial") == static_cast<double>(t + 1));
    CHECK(json_number(log[t], "validation_rmse") > 0.0);
    CHECK(json_number(log[t], "epochs") >= 1);
    CHECK(json_number(log[t], "best_epoch") >= 1);
    CHECK(json_value(log[t], "seconds"));
    CHECK(log[t].find("\"parameters\":{") != std::string::npos);
    CHECK(log[t].find("\"lr\":") != std::string::npos);
  }
}

TEST_CASE("an option given to tune is fixed, not searched", "[cli][tune]") {
  TinyData tiny;
  const CliResult r = tune(tiny, {"--trials", "2", "--hidden", "6", "--precision", "bf16", "--log", "trials.jsonl",
                                  "--output", "best.conf"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());  // --quiet
  for (const std::string& line : lines(tiny.dir.path() / "trials.jsonl")) {
    INFO(line);
    CHECK(line.find("\"hidden\"") == std::string::npos);
    CHECK(std::regex_search(line, std::regex(R"("lr-schedule":"[a-z]+")")));
  }
  CHECK(read_text(tiny.dir.path() / "best.conf").find("hidden = 6\n") != std::string::npos);
  CHECK(read_text(tiny.dir.path() / "best.conf").find("precision = bf16\n") != std::string::npos);  // every train option
  const CliResult told = run_cli(tiny.dir.path(), {"tune", "--data", tiny.data, "--space", "space.json", "--trials", "1",
                                                   "--epochs", "2", "--hidden", "6", "--threads", "1"});
  REQUIRE(told.exit_code == 0);
  CHECK(told.err.find("--hidden 6 is fixed: not searched") != std::string::npos);
  CHECK(told.err.find("trial 1/1: lr ") != std::string::npos);  // the progress line
}

TEST_CASE("tune stops starting trials when --time is up, and says so", "[cli][tune]") {
  TinyData tiny;
  const CliResult r = tune(tiny, {"--time", "0.001", "--log", "trials.jsonl"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(lines(tiny.dir.path() / "trials.jsonl").size() == 1);  // the first trial starts at once, then time is up
  CHECK(r.out.find("search:  1 trial in") != std::string::npos);
  CHECK(r.out.find("the time budget (--time 0.001) is up") != std::string::npos);
  // --trials still bounds a search with time left.
  const CliResult both = tune(tiny, {"--time", "600", "--trials", "2", "--log", "two.jsonl"});
  REQUIRE(both.exit_code == 0);
  CHECK(lines(tiny.dir.path() / "two.jsonl").size() == 2);
}

TEST_CASE("the same seed gives the same trials, another seed others", "[cli][tune]") {
  TinyData tiny;
  REQUIRE(tune(tiny, {"--trials", "3", "--seed", "7", "--log", "a.jsonl"}).exit_code == 0);
  REQUIRE(tune(tiny, {"--trials", "3", "--seed", "7", "--log", "b.jsonl"}).exit_code == 0);
  REQUIRE(tune(tiny, {"--trials", "3", "--seed", "8", "--log", "c.jsonl"}).exit_code == 0);
  const auto a = lines(tiny.dir.path() / "a.jsonl"), b = lines(tiny.dir.path() / "b.jsonl"),
             c = lines(tiny.dir.path() / "c.jsonl");
  REQUIRE(a.size() == 3);
  REQUIRE(b.size() == 3);
  REQUIRE(c.size() == 3);
  for (std::size_t t = 0; t < a.size(); ++t) CHECK(without_seconds(a[t]) == without_seconds(b[t]));
  // Other draws, not only other training (the seed is also the trials' training seed).
  auto parameters = [](const std::string& line) {
    std::smatch match;
    REQUIRE(std::regex_search(line, match, std::regex(R"("parameters":\{[^}]*\})")));
    return match.str();
  };
  CHECK(parameters(a[0]) == parameters(b[0]));
  CHECK(parameters(a[0]) != parameters(c[0]));
}

TEST_CASE("the best configuration is a config file that autorec train reads back", "[cli][tune]") {
  TinyData tiny;
  const CliResult r = tune(tiny, {"--trials", "3", "--log", "trials.jsonl", "--output", "best.conf"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string config = read_text(tiny.dir.path() / "best.conf");
  INFO(config);
  CHECK(config.find("lr = ") != std::string::npos);
  CHECK(config.find("model = item\n") != std::string::npos);  // the model tuned, not train's default ensemble
  CHECK(config.find("epochs = 6") != std::string::npos);
  // The best validation RMSE of the log is the one train reaches with the file: the same settings, the
  // same fitting and validation ratings (train's validation split of the same training file).
  double best = 1e9;
  for (const std::string& line : lines(tiny.dir.path() / "trials.jsonl")) best = std::min(best, json_number(line, "validation_rmse"));
  REQUIRE(run_cli(tiny.dir.path(), {"synth", "--n-users", "120", "--n-items", "80", "--n-ratings", "300", "--seed", "9",
                                    "--out", "other.csv"})
              .exit_code == 0);
  const CliResult trained = run_cli(tiny.dir.path(), {"train", "--config", "best.conf", "--train-file", tiny.data,
                                                      "--test-file", "other.csv", "--threads", "1", "--quiet", "--json"});
  INFO(trained.err);
  REQUIRE(trained.exit_code == 0);
  CHECK(json_number(trained.out, "best_validation_rmse") == Approx(best).margin(1e-7));  // train prints 8 decimals

  // Never clobbered: an existing --output needs --force; written atomically (no temporary left).
  const CliResult again = tune(tiny, {"--trials", "1", "--output", "best.conf"});
  require_usage_error(again, {"--output best.conf", "--force"});
  CHECK(read_text(tiny.dir.path() / "best.conf") == config);
  REQUIRE(tune(tiny, {"--trials", "1", "--output", "best.conf", "--force"}).exit_code == 0);
  for (const auto& entry : fs::directory_iterator(tiny.dir.path()))
    CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("Ctrl-C stops the search, keeping the finished trials and the best of them", "[cli][tune]") {
  TinyData tiny;
  // With seed 9 trial 1 draws 3 epochs and trial 2 a million: it is interrupted.
  std::ofstream(tiny.dir.path() / "long.json") << R"({"epochs": [3, 1000000]})";
  const int pid = start_cli(tiny.dir.path(), {"tune", "--data", tiny.data, "--space", "long.json", "--seed", "9",
                                              "--hidden", "4", "--patience", "1000000", "--threads", "1", "--log",
                                              "trials.jsonl", "--output", "best.conf"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (read_text(tiny.dir.path() / ".stderr").find("trial 1/20") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // into trial 2
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string out = read_text(tiny.dir.path() / ".stdout");
  INFO(read_text(tiny.dir.path() / ".stderr") << out);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(out.find("interrupted by Ctrl-C during trial 2") != std::string::npos);
  CHECK(lines(tiny.dir.path() / "trials.jsonl").size() == 1);
  CHECK(read_text(tiny.dir.path() / "best.conf").find("epochs = 3\n") != std::string::npos);
}

TEST_CASE("tune never takes test data", "[cli][tune]") {
  TinyData tiny;
  require_usage_error(tune(tiny, {"--test-file", "tiny.csv"}), {"--test-file", "never reads test data"});
  std::ofstream(tiny.dir.path() / "t.conf") << "test-file = tiny.csv\n";
  require_usage_error(tune(tiny, {"--config", "t.conf"}), {"t.conf:1", "never reads test data"});
  require_usage_error(tune(tiny, {"--train-file", "tiny.csv"}), {"--train-file"});
  require_usage_error(tune(tiny, {"--split", "random"}), {"--split"});
}

TEST_CASE("bad spaces and flags are refused before any trial, naming the argument", "[cli][tune]") {
  TinyData tiny;
  auto with_space = [&](const std::string& json) {
    std::ofstream(tiny.dir.path() / "bad.json") << json;
    return run_cli(tiny.dir.path(), {"tune", "--data", tiny.data, "--space", "bad.json", "--quiet"});
  };
  require_usage_error(with_space("{\"lr\": [0.1,"), {"bad.json", "not valid JSON"});
  require_usage_error(with_space("[1, 2]"), {"bad.json", "expected a JSON object"});
  require_usage_error(with_space(R"({"lamda": [1, 2]})"), {"bad.json", "\"lamda\"", "did you mean lambda?"});
  require_usage_error(with_space(R"({"data": ["x.csv"]})"), {"bad.json", "\"data\"", "not an option tune can search"});
  require_usage_error(with_space(R"({"lr": {"uniform": [0.1, 0.01]}})"), {"bad.json", "\"lr\"", "low < high"});
  require_usage_error(with_space(R"({"lr": {"log_uniform": [0, 0.01]}})"), {"\"lr\"", "low > 0"});
  require_usage_error(with_space(R"({"lr": {"normal": [0, 1]}})"), {"\"lr\"", "unknown kind \"normal\""});
  require_usage_error(with_space(R"({"lr": {"choice": []}})"), {"\"lr\"", "non-empty"});
  require_usage_error(with_space(R"({"dropout": {"uniform": [0, 1.5]}})"), {"bad.json: dropout", "invalid value '1.5'"});
  require_usage_error(with_space(R"({"hidden": ["8", "x"]})"), {"bad.json: hidden", "invalid value 'x'"});
  require_usage_error(with_space(R"({"lr-schedule": ["step", "cosin"]})"), {"lr-schedule", "did you mean cosine?"});
  require_usage_error(with_space(R"({"model": ["item", "item+user"]})"), {"bad.json", "model", "ensemble"});
  require_usage_error(run_cli(tiny.dir.path(), {"tune", "--data", tiny.data, "--model", "item+user"}),
                      {"--model", "item+user", "one model"});
  require_usage_error(run_cli(tiny.dir.path(), {"tune", "--data", tiny.data, "--trials", "0"}), {"--trials"});
  require_usage_error(run_cli(tiny.dir.path(), {"tune", "--data", tiny.data, "--time", "-1"}), {"--time"});
  require_usage_error(run_cli(tiny.dir.path(), {"tune", "--data", "missing.csv"}), {"--data missing.csv"});
  require_usage_error(run_cli(tiny.dir.path(), {"tune"}), {"needs --data"});
  require_usage_error(run_cli(tiny.dir.path(), {"tune", "--data", tiny.data, "--space", "none.json"}),
                      {"--space none.json"});
  require_usage_error(run_cli(tiny.dir.path(), {"tune", "--data", tiny.data, "--optimizer", "rprop"}),
                      {"--optimizer rprop"});  // the default space tunes the batch size and schedule
  require_usage_error(run_cli(tiny.dir.path(), {"tune", "--data", tiny.data, "--log", tiny.data}),
                      {"--log", "same file as --data"});
}

}  // namespace
}  // namespace autorec::test
