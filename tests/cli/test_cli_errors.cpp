// Usage errors exit with 2, data and I/O errors with 1, each with a message naming the argument,
// config line or file; never a crash.
#include "cli_fixture.h"

namespace autorec::test {
namespace {

void require_error(const CliResult& r, const std::string& named, int exit_code) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == exit_code);
  CHECK(r.err.find("autorec: error: ") != std::string::npos);  // after any progress notes
  CHECK(r.err.find(named) != std::string::npos);
  CHECK(r.out.empty());
}

void require_usage_error(const CliResult& r, const std::string& named) { require_error(r, named, 2); }
void require_data_error(const CliResult& r, const std::string& named) { require_error(r, named, 1); }

TEST_CASE("bad flags and values name the flag", "[cli][errors]") {
  TempDir dir;
  require_usage_error(run_cli(dir.path(), {"train", "--epoch", "3"}), "--epoch");
  require_usage_error(run_cli(dir.path(), {"train", "--epochs", "three"}), "--epochs");
  require_usage_error(run_cli(dir.path(), {"train", "--epochs", "-1"}), "--epochs");
  require_usage_error(run_cli(dir.path(), {"train", "--hidden", "500,x"}), "--hidden");
  require_usage_error(run_cli(dir.path(), {"train", "--optimizer", "lbfgs"}), "--optimizer");
  require_usage_error(run_cli(dir.path(), {"train", "--device", "tpu"}), "--device");
  require_usage_error(run_cli(dir.path(), {"train", "--lr"}), "--lr");
  require_usage_error(run_cli(dir.path(), {"eval", "--hidden", "8"}), "--hidden");  // train-only flag
  require_usage_error(run_cli(dir.path(), {"fly"}), "fly");
  require_usage_error(
      run_cli(dir.path(), {"synth", "--n-users", "10", "--n-items", "10", "--n-ratings", "1000", "--out", "x.csv"}),
      "ratings");  // more ratings than users x items
}

TEST_CASE("bad config lines name file:line", "[cli][errors]") {
  TempDir dir;
  dir.write("unknown.conf", "# comment\nepochs = 3\nbogus = 1\n");
  require_usage_error(run_cli(dir.path(), {"train", "--config", "unknown.conf"}), "unknown.conf:3");
  dir.write("value.conf", "lambda = lots\n");
  require_usage_error(run_cli(dir.path(), {"train", "--config", "value.conf"}), "value.conf:1");
  dir.write("syntax.conf", "\n\nepochs 3\n");
  require_usage_error(run_cli(dir.path(), {"train", "--config", "syntax.conf"}), "syntax.conf:3");
  require_usage_error(run_cli(dir.path(), {"train", "--config", "absent.conf"}), "absent.conf");
}

TEST_CASE("bad input files name the file and exit with 1", "[cli][errors]") {
  TempDir dir;
  dir.write("broken.csv", "1,1,5\n2,2,oops\n");
  require_data_error(run_cli(dir.path(), {"train", "--data", "broken.csv"}), "broken.csv:2");
  dir.write("fake.ckpt", "not a checkpoint at all, just some text that is long enough\n");
  require_data_error(run_cli(dir.path(), {"eval", "--model-file", "fake.ckpt"}), "fake.ckpt");
  // A path that does not exist is the argument's fault, found before any work: a usage error.
  require_usage_error(run_cli(dir.path(), {"predict", "--model-file", "missing.ckpt", "--input", "x"}), "missing.ckpt");
}

}  // namespace
}  // namespace autorec::test
