// The option surface (issue 12 item 8, issue 10 item 5): near-miss suggestions, renamed options that
// name their new spelling, inapplicable flags refused naming the option that makes them meaningless,
// every check before loading data, --resume refusing a changed option with both values, and the
// end-of-run summary saying why training stopped.
#include <filesystem>
#include <fstream>

#include "autorec/checkpoint.h"
#include "cli_fixture.h"

namespace autorec::test {
namespace {

void require_error(const CliResult& r, const std::vector<std::string>& parts) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  for (const std::string& part : parts) CHECK(r.err.find(part) != std::string::npos);
}

TEST_CASE("a mistyped command, option or config key gets a suggestion", "[cli][options]") {
  TempDir dir;
  require_error(run_cli(dir.path(), {"trian"}), {"unknown command 'trian'", "did you mean train?"});
  require_error(run_cli(dir.path(), {"train", "--epoch", "3"}), {"--epoch", "did you mean --epochs?"});
  require_error(run_cli(dir.path(), {"train", "--hiden", "8"}), {"did you mean --hidden?"});
  require_error(run_cli(dir.path(), {"train", "--split", "kfolds"}), {"did you mean kfold?"});
  require_error(run_cli(dir.path(), {"train", "--activation", "sigmod"}), {"did you mean sigmoid?"});
  require_error(run_cli(dir.path(), {"train", "--device", "cdua"}), {"did you mean cuda?"});
  std::ofstream(dir.path() / "run.conf") << "epochs = 2\nlearning-rate = 0.1\n";
  require_error(run_cli(dir.path(), {"train", "--config", "run.conf"}), {"run.conf:2", "learning-rate"});
  // Far from every name: no suggestion rather than a silly one.
  const CliResult far = run_cli(dir.path(), {"train", "--zzzzzz", "1"});
  CHECK(far.exit_code == 2);
  CHECK(far.err.find("did you mean") == std::string::npos);
}

TEST_CASE("old option spellings are errors that name the new one", "[cli][options]") {
  TempDir dir;
  require_error(run_cli(dir.path(), {"eval", "--checkpoint", "m.ckpt"}), {"--checkpoint", "--model-file"});
  require_error(run_cli(dir.path(), {"recommend", "--checkpoint", "m.ckpt", "--all-users"}), {"--model-file"});
  require_error(run_cli(dir.path(), {"synth", "--users", "10", "--out", "x.csv"}), {"--users", "--n-users"});
  require_error(run_cli(dir.path(), {"synth", "--format", "csv", "--out", "x.csv"}), {"--synth-format"});
  require_error(run_cli(dir.path(), {"eval", "--model-file", "m.ckpt", "--format", "csv"}), {"--test-format"});
  std::ofstream(dir.path() / "s.conf") << "users = 10\n";
  require_error(run_cli(dir.path(), {"synth", "--config", "s.conf", "--out", "x.csv"}), {"s.conf:1", "--n-users"});
}

TEST_CASE("flags that have no effect are refused, naming what makes them meaningless", "[cli][options]") {
  TinyData tiny;
  require_error(tiny.train({"--momentum", "0.5"}), {"--momentum", "--optimizer adam"});
  require_error(tiny.train({"--optimizer", "adam", "--weight-decay", "0.1"}), {"--weight-decay", "--optimizer adam"});
  require_error(tiny.train({"--optimizer", "rprop", "--batch-size", "64"}), {"--batch-size", "--optimizer rprop"});
  require_error(tiny.train({"--batch-size", "0", "--updates", "lazy"}), {"--updates", "--batch-size 0"});
  require_error(run_cli(tiny.dir.path(), {"train", "--model", "mf", "--precision", "bf16"}),
                {"--precision", "--model mf"});
  require_error(tiny.train({"--precision", "fp16"}), {"--precision", "fp32", "bf16"});
  require_error(tiny.train({"--folds", "3"}), {"--folds", "--split random"});
  require_error(tiny.train({"--split", "kfold", "--test-fraction", "0.2"}), {"--test-fraction", "--split kfold"});
  require_error(tiny.train({"--checkpoint-every", "2"}), {"--checkpoint-every", "no --checkpoint"});
  require_error(tiny.train({"--validation-fraction", "0", "--patience", "3"}),
                {"--patience", "--validation-fraction 0"});
  std::ofstream(tiny.dir.path() / "m.conf") << "momentum = 0.5\n";
  require_error(tiny.train({"--config", "m.conf"}), {"--momentum (m.conf:1) has no effect"});
  TempDir dir;
  require_error(run_cli(dir.path(), {"train", "--sep", ";"}), {"--sep", "synthetic"});
  // The same flags where they do apply are accepted.
  CHECK(tiny.train({"--optimizer", "sgd", "--momentum", "0.5", "--epochs", "1"}).exit_code == 0);
  CHECK(tiny.train({"--split", "kfold", "--folds", "3", "--epochs", "1"}).exit_code == 0);
}

TEST_CASE("every value and input path is checked before the data is loaded", "[cli][options]") {
  TempDir dir;
  // The default data set is ML-1M-shaped synthetic data that takes seconds to generate: each of these
  // must fail long before that.
  const std::vector<std::vector<std::string>> bad = {
      {"train", "--test-fraction", "2"},
      {"train", "--split", "kfold", "--fold", "7"},
      {"train", "--split-seed", "-1"},
      {"train", "--validation-fraction", "0.95"},
      {"train", "--default-rating", "x"},
      {"train", "--resume", "missing.ckpt"},
      {"train", "--data", "missing.csv"},
  };
  for (const auto& args : bad) {
    const CliResult r = run_cli(dir.path(), args);
    const std::string& flag = args[args.size() - 2];  // the bad one is the last flag
    INFO(flag << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(flag) != std::string::npos);
    CHECK(r.err.find("generating") == std::string::npos);  // no data was made: refused before any work
  }
  std::ofstream(dir.path() / "logs") << "a file";
  const CliResult log = run_cli(dir.path(), {"train", "--log-dir", "logs"});
  CHECK(log.exit_code == 2);
  CHECK(log.err.find("not a folder") != std::string::npos);
}

TEST_CASE("eval predict recommend and export check their flags and inputs before loading the model",
          "[cli][options]") {
  TinyData tiny;
  REQUIRE(tiny.train({"--epochs", "1", "--checkpoint", "m.ckpt"}).exit_code == 0);
  require_error(run_cli(tiny.dir.path(), {"predict", "--model-file", "m.ckpt", "--input", "missing.txt"}),
                {"--input missing.txt", "no such file"});
  require_error(run_cli(tiny.dir.path(), {"predict", "--model-file", "none.ckpt", "--input", "missing.txt"}),
                {"--model-file none.ckpt"});
  require_error(run_cli(tiny.dir.path(), {"eval", "--model-file", "m.ckpt", "--test-format", "csv"}),
                {"--test-format", "no --test-file"});
  require_error(run_cli(tiny.dir.path(), {"eval", "--model-file", "m.ckpt", "--test-file", "t.csv"}),
                {"--test-file t.csv", "no such file"});
  require_error(run_cli(tiny.dir.path(), {"recommend", "--model-file", "m.ckpt", "--top", "0", "--all-users"}),
                {"--top"});
  require_error(run_cli(tiny.dir.path(), {"recommend", "--model-file", "m.ckpt", "--users-file", "u.txt"}),
                {"--users-file u.txt"});
  require_error(run_cli(tiny.dir.path(), {"export", "--model-file", "m.ckpt", "--out", "x", "--export-format", "np"}),
                {"--export-format", "did you mean npy?"});
  require_error(run_cli(tiny.dir.path(), {"eval", "--model-file", "."}), {"--model-file .", "is a folder"});
  // Outputs of the wrong kind: a folder where a file goes, a file where a folder goes.
  std::filesystem::create_directory(tiny.dir.path() / "folder");
  require_error(run_cli(tiny.dir.path(), {"predict", "--model-file", "m.ckpt", "--input", tiny.data, "--output", "folder"}),
                {"--output folder", "is a folder"});
  require_error(run_cli(tiny.dir.path(), {"export", "--model-file", "m.ckpt", "--out", tiny.data}),
                {"--out " + tiny.data, "not a folder"});
  require_error(run_cli(tiny.dir.path(), {"synth", "--out", "folder"}), {"--out folder", "is a folder"});
  require_error(tiny.train({"--checkpoint", "folder"}), {"--checkpoint folder", "is a folder"});
}

TEST_CASE("resume refuses any changed option that changes the numbers, naming both values", "[cli][options]") {
  TinyData tiny;
  REQUIRE(tiny.train({"--epochs", "2", "--checkpoint", "run.ckpt"}).exit_code == 0);
  require_error(tiny.train({"--epochs", "3", "--resume", "run.ckpt", "--lr", "0.02"}), {"--lr", "0.01", "0.02"});
  require_error(tiny.train({"--epochs", "3", "--resume", "run.ckpt", "--lambda", "5"}), {"--lambda", "100", "5"});
  require_error(tiny.train({"--epochs", "3", "--resume", "run.ckpt", "--batch-size", "32"}), {"--batch-size"});
  require_error(tiny.train({"--epochs", "3", "--resume", "run.ckpt", "--seed", "9"}), {"--seed"});
  require_error(tiny.train({"--epochs", "3", "--resume", "run.ckpt", "--precision", "bf16"}),
                {"--precision", "fp32", "bf16"});
  require_error(tiny.train({"--epochs", "3", "--resume", "run.ckpt", "--default-rating", "2.5"}),
                {"--default-rating", "2.5"});
  // A checkpoint of older defaults (batch 256 before 1024): every difference is named at once, with the
  // flags that continue it, and those flags do.
  REQUIRE(tiny.train({"--epochs", "2", "--batch-size", "256", "--lambda", "50", "--checkpoint", "old.ckpt"}).exit_code == 0);
  require_error(tiny.train({"--epochs", "3", "--resume", "old.ckpt"}),
                {"--batch-size 256, this command gives 1024", "--lambda 50, this command gives 100",
                 "to continue it, add: --lambda 50 --batch-size 256"});
  const CliResult continued = tiny.train({"--epochs", "3", "--resume", "old.ckpt", "--lambda", "50", "--batch-size", "256"});
  INFO(continued.err);
  CHECK(continued.exit_code == 0);
  // RProp ignores the batch size (always full batch; the flag is refused with it): a checkpoint that
  // holds another batch size, as one written before the default became 1024 does, still resumes.
  REQUIRE(tiny.train({"--epochs", "2", "--optimizer", "rprop", "--checkpoint", "rprop.ckpt"}).exit_code == 0);
  Checkpoint rprop = load_checkpoint(tiny.dir.path() / "rprop.ckpt");
  rprop.train.batch_size = 256;
  save_checkpoint(tiny.dir.path() / "rprop.ckpt", rprop);
  const CliResult rprop_resumed = tiny.train({"--epochs", "3", "--optimizer", "rprop", "--resume", "rprop.ckpt"});
  INFO(rprop_resumed.err);
  CHECK(rprop_resumed.exit_code == 0);
  // Epochs and patience may change.
  const CliResult ok = tiny.train({"--epochs", "3", "--patience", "4", "--resume", "run.ckpt", "--json"});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(json_number(ok.out, "epochs") == 3);
}

TEST_CASE("a bf16 run's checkpoint records its precision and resumes with it", "[cli][options][bf16]") {
  TinyData tiny;
  REQUIRE(tiny.train({"--epochs", "2", "--precision", "bf16", "--checkpoint", "run.ckpt"}).exit_code == 0);
  require_error(tiny.train({"--epochs", "3", "--resume", "run.ckpt"}), {"--precision", "bf16", "fp32"});
  const CliResult ok = tiny.train({"--epochs", "3", "--precision", "bf16", "--resume", "run.ckpt", "--json"});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(json_number(ok.out, "epochs") == 3);
}

TEST_CASE("resume refuses data with the same file name and sizes but other ratings", "[cli][options]") {
  TinyData tiny;
  REQUIRE(tiny.train({"--epochs", "2", "--checkpoint", "run.ckpt"}).exit_code == 0);
  // Every rating r becomes 6 - r: same users, items, count and split, other numbers.
  const std::string original = read_text(tiny.dir.path() / tiny.data);
  std::string flipped;
  std::size_t line_start = 0;
  while (line_start < original.size()) {
    const std::size_t end = original.find('\n', line_start);
    std::string line = original.substr(line_start, end - line_start);
    const std::size_t comma = line.rfind(',');
    line = line.substr(0, comma + 1) + std::to_string(6 - std::stoi(line.substr(comma + 1)));
    flipped += line + "\n";
    line_start = end + 1;
  }
  std::ofstream(tiny.dir.path() / tiny.data, std::ios::trunc) << flipped;
  require_error(tiny.train({"--epochs", "3", "--resume", "run.ckpt"}), {"--resume run.ckpt", "training ratings differ"});
}

TEST_CASE("the summary says why training stopped", "[cli][options]") {
  TinyData tiny;
  const CliResult limit = tiny.train({"--epochs", "2", "--json"});
  REQUIRE(limit.exit_code == 0);
  CHECK(json_value(limit.out, "stop_reason") == "epoch_limit");
  const CliResult early = tiny.train({"--epochs", "500", "--patience", "1", "--lr", "0.2"});
  INFO(early.err);
  REQUIRE(early.exit_code == 0);
  CHECK(early.out.find("stopped: early stopping at epoch") != std::string::npos);
  CHECK(early.out.find("(--patience 1)") != std::string::npos);
  const CliResult text = tiny.train({"--epochs", "2"});
  CHECK(text.out.find("stopped: reached the epoch limit (--epochs 2)") != std::string::npos);
}

TEST_CASE("info --json names the default device", "[cli][options]") {
  TempDir dir;
  const CliResult r = run_cli(dir.path(), {"info", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto device = json_value(r.out, "default_device");
  REQUIRE(device);
  CHECK((*device == "cpu" || *device == "cuda"));
  CHECK(json_value(r.out, "openmp_wait_policy"));
}

}  // namespace
}  // namespace autorec::test
