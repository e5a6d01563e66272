// How the CLI reads its inputs and writes raw ids: the ratings cache and its fingerprint, the
// delimited-format flags, config-file comments, predict's header rule, CSV quoting of raw ids, and
// the checks on split sizes and output paths that must stop a run early with exit 2.
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "cli_fixture.h"

namespace autorec::test {
namespace {

void require_error(const CliResult& r, const std::string& named, int exit_code) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == exit_code);
  CHECK(r.err.find("autorec: error: ") != std::string::npos);
  CHECK(r.err.find(named) != std::string::npos);
}
void require_usage_error(const CliResult& r, const std::string& named) { require_error(r, named, 2); }
void require_data_error(const CliResult& r, const std::string& named) { require_error(r, named, 1); }

double total_ratings(const CliResult& r) {
  return json_number(r.out, "train_ratings") + json_number(r.out, "test_ratings");
}

TEST_CASE("a ratings cache is reused only for the same load options", "[cli][cache]") {
  TinyData tiny;
  // A repeated (user, item) pair: accepted with --duplicates keep-last, an error by default.
  const std::string text = read_text(tiny.dir.path() / tiny.data);
  const std::string first_line = text.substr(0, text.find('\n') + 1);
  std::ofstream(tiny.dir.path() / tiny.data, std::ios::app) << first_line;
  const std::vector<std::string> one_epoch = {"--epochs", "1", "--cache", "auto", "--json"};
  std::vector<std::string> keep_last = one_epoch;
  keep_last.insert(keep_last.end(), {"--duplicates", "keep-last"});
  const CliResult built = tiny.train(keep_last);
  INFO(built.err);
  REQUIRE(built.exit_code == 0);
  REQUIRE(std::filesystem::exists(tiny.dir.path() / (tiny.data + ".arcache")));
  CHECK(tiny.train(keep_last).exit_code == 0);  // the same options reuse it
  // Other options must parse again, and so find the duplicate, not load the cache made with keep-last.
  require_data_error(tiny.train(one_epoch), "duplicate");
}

TEST_CASE("a cache that cannot be written is a warning, not a failure", "[cli][cache]") {
  TinyData tiny;
  // A full disk under the cache's folder (the AtomicFile test hook): the run goes on without it.
  std::filesystem::create_directory(tiny.dir.path() / "full");
  ::setenv("AUTOREC_FAULT_FULL_DISK", (tiny.dir.path() / "full").c_str(), 1);
  const CliResult r = tiny.train({"--epochs", "1", "--cache", "full/c.arcache", "--json"});
  ::unsetenv("AUTOREC_FAULT_FULL_DISK");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("warning") != std::string::npos);
  CHECK(r.err.find("full/c.arcache") != std::string::npos);
  CHECK(r.err.find("No space left on device") != std::string::npos);
  CHECK(total_ratings(r) == kTinyRatings);
  CHECK_FALSE(std::filesystem::exists(tiny.dir.path() / "full" / "c.arcache"));
  // A missing folder is created, as for every output (issue 12).
  const CliResult created = tiny.train({"--epochs", "1", "--cache", "new_folder/c.arcache", "--json"});
  CHECK(created.exit_code == 0);
  CHECK(std::filesystem::exists(tiny.dir.path() / "new_folder" / "c.arcache"));
}

TEST_CASE("header and column flags imply --format delimited and contradict other formats", "[cli][data]") {
  TinyData tiny;
  const CliResult header = tiny.train({"--epochs", "1", "--header", "yes", "--json"});
  INFO(header.err);
  REQUIRE(header.exit_code == 0);
  CHECK(total_ratings(header) == kTinyRatings - 1);  // the first line was taken as the header
  require_usage_error(tiny.train({"--format", "ml-1m", "--header", "no"}), "--header");
  require_usage_error(tiny.train({"--format", "csv", "--user-col", "1"}), "--user-col");
}

TEST_CASE("a hash starts a config comment only after whitespace, and a backslash-escaped hash is literal", "[cli][config]") {
  TinyData tiny;
  tiny.dir.write("run.conf", "# a comment line\nepochs = 1 # a trailing comment\nlog-dir = logs#1\n");
  CliResult r = tiny.train({"--config", "run.conf"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(std::filesystem::exists(tiny.dir.path() / "logs#1" / "train.jsonl"));
  tiny.dir.write("escaped.conf", "epochs = 1\nlog-dir = out \\#2 # comment\n");
  r = tiny.train({"--config", "escaped.conf"});
  REQUIRE(r.exit_code == 0);
  CHECK(std::filesystem::exists(tiny.dir.path() / "out #2" / "train.jsonl"));
}

TEST_CASE("split settings that leave a part empty stop with exit 2 and say which", "[cli][errors]") {
  TempDir dir;
  dir.write("one.csv", "1,1,5\n");
  require_usage_error(run_cli(dir.path(), {"train", "--data", "one.csv", "--quiet"}),
                      "--test-fraction 0.1 leaves no test ratings (the data set has 1 rating)");
  require_usage_error(run_cli(dir.path(), {"train", "--data", "one.csv", "--quiet", "--test-fraction", "0.9"}),
                      "--test-fraction 0.9 leaves no training ratings");
  dir.write("two.csv", "1,1,5\n2,2,3\n");
  require_usage_error(run_cli(dir.path(), {"train", "--data", "two.csv", "--quiet", "--test-fraction", "0.5",
                                           "--validation-fraction", "0.9"}),
                      "--validation-fraction 0.9 leaves no ratings to fit");
}

TEST_CASE("several runs with --train-file/--test-file (an implicit files split) are refused", "[cli][errors]") {
  TempDir dir;
  dir.write("a.csv", "1,1,5\n2,2,3\n");
  dir.write("b.csv", "1,2,4\n");
  require_usage_error(
      run_cli(dir.path(), {"train", "--train-file", "a.csv", "--test-file", "b.csv", "--runs", "3", "--quiet"}),
      "--runs 3");
  require_usage_error(run_cli(dir.path(), {"train", "--train-file", "a.csv", "--test-file", "b.csv", "--split",
                                           "kfold", "--quiet"}),
                      "--split files");
}

TEST_CASE("an unusable --checkpoint path fails before training, naming the file", "[cli][errors]") {
  TinyData tiny;
  std::ofstream(tiny.dir.path() / "plain_file") << "not a folder\n";
  const CliResult blocked = run_cli(tiny.dir.path(), {"train", "--data", tiny.data, "--hidden", "8", "--epochs", "2",
                                                      "--checkpoint", "plain_file/run.ckpt"});
  require_usage_error(blocked, "plain_file");
  CHECK(blocked.err.find("epoch    1") == std::string::npos);  // not after an epoch of training
  // The README's own command (issue 12): a missing folder is created, like --log-dir's.
  const CliResult created = tiny.train({"--epochs", "1", "--checkpoint", "out/model.ckpt"});
  CHECK(created.exit_code == 0);
  CHECK(std::filesystem::exists(tiny.dir.path() / "out" / "model.ckpt"));
  std::filesystem::create_directory(tiny.dir.path() / "folder.ckpt");
  // A path argument naming a folder is refused by the option checks, before any work: a usage error.
  require_usage_error(tiny.train({"--epochs", "1", "--checkpoint", "folder.ckpt"}), "folder.ckpt");
  const CliResult eval = run_cli(tiny.dir.path(), {"eval", "--model-file", "folder.ckpt"});
  require_usage_error(eval, "folder.ckpt: is a folder");
  CHECK(eval.err.find("basic_filebuf") == std::string::npos);
}

// A model on string ids holding ',' and '"', from a ';'-separated copy of the tiny data.
struct StringIdModel : TinyData {
  StringIdModel() {
    std::istringstream lines(read_text(dir.path() / data));
    std::ostringstream out;
    std::string user, item, rating;
    while (std::getline(lines, user, ',') && std::getline(lines, item, ',') && std::getline(lines, rating)) {
      out << "u," << user << ";i\"" << item << ";" << rating << "\n";
    }
    dir.write("quoted.txt", out.str());
    const CliResult r = run_cli(dir.path(), {"train", "--data", "quoted.txt", "--model", "item", "--sep", ";", "--hidden", "8", "--quiet",
                                             "--epochs", "1", "--checkpoint", "m.ckpt"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
};

TEST_CASE("CSV outputs quote raw ids holding commas or quotes (RFC 4180)", "[cli][model]") {
  StringIdModel model;
  const CliResult r = run_cli(model.dir.path(), {"export", "--model-file", "m.ckpt", "--out", "ex",
                                                 "--export-format", "csv"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string input_ids = read_text(model.dir.path() / "ex" / "input_ids.csv");  // users (I-AutoRec)
  CHECK(input_ids.find("\n0,\"u,") != std::string::npos);
  const std::string row_ids = read_text(model.dir.path() / "ex" / "row_ids.csv");
  CHECK(row_ids.find("\n0,\"i\"\"") != std::string::npos);  // the quote is doubled inside quotes

  const CliResult top = run_cli(model.dir.path(), {"recommend", "--model-file", "m.ckpt", "--all-users", "--top", "1"});
  REQUIRE(top.exit_code == 0);
  const std::string second_line = top.out.substr(top.out.find('\n') + 1);
  CHECK(second_line.rfind("\"u,", 0) == 0);
  CHECK(second_line.find(",\"i\"\"") != std::string::npos);
}

TEST_CASE("predict keeps a first line of unknown string ids, only header words make a header", "[cli][model]") {
  StringIdModel model;
  model.dir.write("first.txt", "newcomer|some_film\nnewcomer2|other_film\n");
  CliResult r = run_cli(model.dir.path(), {"predict", "--model-file", "m.ckpt", "--input", "first.txt"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("newcomer,some_film,") != std::string::npos);
  CHECK(r.out.find("newcomer2,other_film,") != std::string::npos);

  model.dir.write("header.txt", "UserId|MovieId\nnewcomer|some_film\n");
  r = run_cli(model.dir.path(), {"predict", "--model-file", "m.ckpt", "--input", "header.txt"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("UserId") == std::string::npos);
  r = run_cli(model.dir.path(), {"predict", "--model-file", "m.ckpt", "--input", "first.txt", "--header", "yes"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("newcomer,some_film,") == std::string::npos);
  CHECK(r.out.find("newcomer2,other_film,") != std::string::npos);
}

}  // namespace
}  // namespace autorec::test
