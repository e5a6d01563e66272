// Issue 10 through the built binary: no command writes over its own input or a foreign file, every
// save is atomic (full disk, kill -9, Ctrl-C), results survive a failed final save, and caches are
// keyed by content. The AtomicFile test hooks (docs/reliability.md) stand in for a full disk and
// for a slow save that kill -9 can hit.
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli_fixture.h"

namespace autorec::test {
namespace {

namespace fs = std::filesystem;

struct ScopedEnv {
  std::string name;
  ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) { ::setenv(name.c_str(), value.c_str(), 1); }
  ~ScopedEnv() { ::unsetenv(name.c_str()); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
};

// Names of temporaries ("*.tmp.*") left in a folder tree.
std::vector<std::string> temporaries(const fs::path& folder) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.path().filename().string().find(".tmp.") != std::string::npos) found.push_back(entry.path().string());
  }
  return found;
}

// A tiny data set with a trained model.ckpt beside it.
struct TrainedTiny : TinyData {
  TrainedTiny() {
    const CliResult r = train({"--epochs", "1", "--checkpoint", "model.ckpt"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::ofstream(dir.path() / "pairs.csv") << "user,item\n1,1\n2,3\n";
    std::ofstream(dir.path() / "users.txt") << "1\n2\n";
    std::ofstream(dir.path() / "run.conf") << "epochs = 1\n";
    std::ofstream(dir.path() / "synth.conf") << "n-users = 1000\n";
  }
  fs::path at(const std::string& name) const { return dir.path() / name; }
};

TEST_CASE("no command writes over its own input", "[cli][reliability]") {
  TrainedTiny t;
  fs::create_hard_link(t.at("tiny.csv"), t.at("hard.csv"));
  fs::create_symlink("tiny.csv", t.at("link.csv"));
  fs::create_directory(t.at("sub"));
  fs::create_directory(t.at("e"));
  fs::copy_file(t.at("model.ckpt"), t.at("e") / "codes.npy");
  const std::vector<std::string> fit = {"--model", "item", "--hidden", "8", "--epochs", "1", "--threads", "1"};
  struct Case {
    std::vector<std::string> args;
    std::string kept;  // the input that must come out unchanged
  };
  const std::vector<Case> cases = {
      {{"train", "--data", "tiny.csv", "--cache", "tiny.csv"}, "tiny.csv"},
      {{"train", "--data", "tiny.csv", "--checkpoint", "tiny.csv"}, "tiny.csv"},
      {{"train", "--data", "tiny.csv", "--checkpoint", "hard.csv"}, "tiny.csv"},
      {{"train", "--data", "tiny.csv", "--checkpoint", "link.csv"}, "tiny.csv"},
      {{"train", "--data", "tiny.csv", "--checkpoint", "sub/../tiny.csv"}, "tiny.csv"},
      {{"train", "--data", "tiny.csv", "--cache", "model.ckpt"}, "model.ckpt"},
      {{"train", "--data", "tiny.csv", "--cache", "auto", "--checkpoint", "tiny.csv.arcache"}, "tiny.csv"},
      {{"train", "--split", "files", "--train-file", "tiny.csv", "--test-file", "hard.csv", "--checkpoint", "hard.csv"},
       "tiny.csv"},
      {{"train", "--data", "tiny.csv", "--resume", "model.ckpt", "--cache", "model.ckpt"}, "model.ckpt"},
      {{"train", "--config", "run.conf", "--data", "tiny.csv", "--checkpoint", "run.conf"}, "run.conf"},
      {{"train", "--data", "tiny.csv", "--log-dir", "tiny.csv"}, "tiny.csv"},
      {{"synth", "--config", "synth.conf", "--out", "synth.conf"}, "synth.conf"},
      {{"predict", "--model-file", "model.ckpt", "--input", "pairs.csv", "--output", "pairs.csv"}, "pairs.csv"},
      {{"predict", "--model-file", "model.ckpt", "--input", "pairs.csv", "--output", "model.ckpt"}, "model.ckpt"},
      {{"recommend", "--model-file", "model.ckpt", "--users-file", "users.txt", "--output", "users.txt"}, "users.txt"},
      {{"recommend", "--model-file", "model.ckpt", "--users", "1", "--output", "model.ckpt"}, "model.ckpt"},
      {{"export", "--model-file", "model.ckpt", "--out", "."}, "tiny.csv"},
      {{"export", "--model-file", "e/codes.npy", "--out", "e"}, "e/codes.npy"},
  };
  for (const Case& c : cases) {
    const std::string before = read_text(t.at(c.kept));
    std::vector<std::string> args = c.args;
    if (args[0] == "train") args.insert(args.end(), fit.begin(), fit.end());
    const CliResult r = run_cli(t.dir.path(), args);
    std::string shown;
    for (const std::string& a : c.args) shown += a + " ";
    INFO("autorec " << shown << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("autorec: error: ") != std::string::npos);
    CHECK(r.err.find("epoch") == std::string::npos);  // refused before any work
    // Refused by the output guard, or earlier by the option checks when the path cannot be an output at all.
    CHECK((r.err.find("refusing") != std::string::npos || r.err.find("cannot hold") != std::string::npos ||
           r.err.find("is not a folder") != std::string::npos));
    CHECK(read_text(t.at(c.kept)) == before);
    CHECK(temporaries(t.dir.path()).empty());
  }
  // --resume writing back to its own checkpoint is the point of --resume, not a clobber.
  const CliResult resumed = t.train({"--epochs", "2", "--resume", "model.ckpt"});
  INFO(resumed.err);
  CHECK(resumed.exit_code == 0);
}

TEST_CASE("an existing file of another kind is overwritten only with --force", "[cli][reliability]") {
  TrainedTiny t;
  const std::string notes = "my notes\n";
  struct Case {
    std::vector<std::string> args;
    std::string target;
  };
  const std::vector<Case> cases = {
      {{"train", "--data", "tiny.csv", "--model", "item", "--hidden", "8", "--epochs", "1", "--checkpoint", "notes.txt"}, "notes.txt"},
      {{"train", "--data", "tiny.csv", "--model", "item", "--hidden", "8", "--epochs", "1", "--cache", "notes.txt"}, "notes.txt"},
      {{"train", "--data", "tiny.csv", "--model", "item", "--hidden", "8", "--epochs", "1", "--log-dir", "logs"}, "logs/train.jsonl"},
      {{"synth", "--n-users", "10", "--n-items", "10", "--n-ratings", "50", "--out", "notes.txt"}, "notes.txt"},
      {{"predict", "--model-file", "model.ckpt", "--input", "pairs.csv", "--output", "notes.txt"}, "notes.txt"},
      {{"recommend", "--model-file", "model.ckpt", "--users", "1", "--output", "notes.txt"}, "notes.txt"},
      {{"export", "--model-file", "model.ckpt", "--out", "logs"}, "logs/train.jsonl"},
  };
  for (const Case& c : cases) {
    fs::create_directories(t.at("logs"));
    std::ofstream(t.at(c.target)) << notes;
    const CliResult refused = run_cli(t.dir.path(), c.args);
    INFO(c.args[0] << " " << c.target << "\nstderr: " << refused.err);
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("--force") != std::string::npos);
    CHECK(read_text(t.at(c.target)) == notes);
    std::vector<std::string> forced = c.args;
    forced.push_back("--force");
    const CliResult overwritten = run_cli(t.dir.path(), forced);
    INFO("with --force: " << overwritten.err);
    CHECK(overwritten.exit_code == 0);
    fs::remove_all(t.at("logs"));
  }
  // Files of the command's own kind are replaced without --force.
  CHECK(t.train({"--epochs", "1", "--checkpoint", "model.ckpt"}).exit_code == 0);
  const std::vector<std::string> synth = {"synth",     "--n-users", "10",    "--n-items", "10",
                                          "--n-ratings", "50",      "--out", "s.csv"};
  CHECK(run_cli(t.dir.path(), synth).exit_code == 0);
  CHECK(run_cli(t.dir.path(), synth).exit_code == 0);
  // Devices and folders are never replaced.
  CHECK(run_cli(t.dir.path(),
                {"predict", "--model-file", "model.ckpt", "--input", "pairs.csv", "--output", "/dev/null", "--force"})
            .exit_code == 2);
  fs::create_directory(t.at("a_folder"));
  CHECK(run_cli(t.dir.path(), {"synth", "--out", "a_folder", "--force"}).exit_code == 2);
}

TEST_CASE("a full disk fails each save naming the file and the reason, and keeps the old file", "[cli][reliability]") {
  TrainedTiny t;
  fs::create_directory(t.at("full"));
  const std::vector<std::string> synth = {"synth",     "--n-users", "50",    "--n-items",   "40",
                                          "--n-ratings", "600",     "--out", "full/s.csv"};
  REQUIRE(run_cli(t.dir.path(), synth).exit_code == 0);
  const std::string old_synth = read_text(t.at("full/s.csv"));
  REQUIRE(
      run_cli(t.dir.path(), {"predict", "--model-file", "model.ckpt", "--input", "pairs.csv", "--output", "full/p.csv"})
          .exit_code == 0);
  const std::string old_predictions = read_text(t.at("full/p.csv"));

  const ScopedEnv full("AUTOREC_FAULT_FULL_DISK", t.at("full").string());
  const ScopedEnv limit("AUTOREC_FAULT_WRITE_LIMIT", "10");
  const auto require_write_error = [&](const CliResult& r, const std::string& named) {
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(named) != std::string::npos);
    CHECK(r.err.find("No space left on device") != std::string::npos);
    CHECK(temporaries(t.dir.path()).empty());
  };
  std::vector<std::string> other_synth = synth;
  other_synth[2] = "60";
  require_write_error(run_cli(t.dir.path(), other_synth), "full/s.csv");
  CHECK(read_text(t.at("full/s.csv")) == old_synth);

  require_write_error(run_cli(t.dir.path(), {"predict", "--model-file", "model.ckpt", "--input", "pairs.csv",
                                             "--output", "full/p.csv", "--header", "no"}),
                      "full/p.csv");
  CHECK(read_text(t.at("full/p.csv")) == old_predictions);

  require_write_error(run_cli(t.dir.path(), {"export", "--model-file", "model.ckpt", "--out", "full/exp"}),
                      "full/exp/");
  CHECK_FALSE(fs::exists(t.at("full/exp/manifest.json")));  // no manifest promising files that are not there

  require_write_error(t.train({"--epochs", "1", "--log-dir", "full/logs"}), "full/logs/train.jsonl");

  // The final checkpoint save fails: the results are printed first, and a copy goes to the temp folder.
  fs::create_directory(t.at("tmp"));
  const ScopedEnv tmp("TMPDIR", t.at("tmp").string());
  const CliResult train =
      t.train({"--epochs", "2", "--checkpoint", "full/m.ckpt", "--checkpoint-every", "100", "--json"});
  require_write_error(train, "full/m.ckpt");
  CHECK(json_value(train.out, "test_rmse"));
  const auto copy_at = train.err.find(t.at("tmp").string());
  REQUIRE(copy_at != std::string::npos);
  const std::string copy = train.err.substr(copy_at, train.err.find(' ', copy_at) - copy_at);
  INFO("emergency copy " << copy);
  CHECK(run_cli(t.dir.path(), {"eval", "--model-file", copy}).exit_code == 0);

  // An ensemble's single save at the end falls back the same way.
  const CliResult ensemble =
      t.train({"--model", "item+mf+baseline", "--epochs", "2", "--checkpoint", "full/e.ckpt", "--json"});
  require_write_error(ensemble, "full/e.ckpt");
  CHECK(json_value(ensemble.out, "test_rmse"));
  const auto ensemble_copy_at = ensemble.err.find(t.at("tmp").string());
  REQUIRE(ensemble_copy_at != std::string::npos);
  const std::string ensemble_copy =
      ensemble.err.substr(ensemble_copy_at, ensemble.err.find(' ', ensemble_copy_at) - ensemble_copy_at);
  INFO("emergency copy " << ensemble_copy);
  CHECK(run_cli(t.dir.path(), {"eval", "--model-file", ensemble_copy}).exit_code == 0);
}

// Starts `args` with every flush slowed down, waits for its temporary to appear, kills it with
// SIGKILL (or `signal_number`) and returns once it is gone.
void kill_during_save(const TrainedTiny& t, const std::vector<std::string>& args, int signal_number = SIGKILL) {
  const ScopedEnv slow("AUTOREC_FAULT_WRITE_DELAY_MS", "400");
  const int pid = start_cli(t.dir.path(), args);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool saving = false;  // seen once: the save may finish (and its temporary go) before a second look
  while (!(saving = !temporaries(t.dir.path()).empty()) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(saving);
  ::kill(pid, signal_number);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
}

// Every line one JSON object, the last one ended: no line cut short.
bool is_whole_jsonl(const std::string& text) {
  if (text.empty()) return true;
  if (text.back() != '\n') return false;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.front() != '{' || line.back() != '}') return false;
  }
  return true;
}

TEST_CASE("kill -9 during every kind of save leaves the old file whole", "[cli][reliability]") {
  TrainedTiny t;
  REQUIRE(t.train({"--epochs", "1", "--cache", "c.arcache", "--log-dir", "logs"}).exit_code == 0);
  REQUIRE(run_cli(t.dir.path(), {"predict", "--model-file", "model.ckpt", "--input", "pairs.csv", "--output", "p.csv"})
              .exit_code == 0);
  REQUIRE(run_cli(t.dir.path(), {"export", "--model-file", "model.ckpt", "--out", "exp"}).exit_code == 0);
  const std::vector<std::string> synth = {"synth",     "--n-users", "50",    "--n-items", "40",
                                          "--n-ratings", "600",     "--out", "s.csv"};
  REQUIRE(run_cli(t.dir.path(), synth).exit_code == 0);
  struct Case {
    std::vector<std::string> args;
    std::string kept;
  };
  const std::vector<std::string> fit = {"train", "--data",  "tiny.csv", "--model", "item", "--hidden",
                                        "8",     "--seed", "9",        "--epochs", "3"};
  auto with = [&](std::vector<std::string> a, const std::vector<std::string>& extra) {
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  const std::vector<Case> cases = {
      {with(fit, {"--checkpoint", "model.ckpt"}), "model.ckpt"},
      {with(fit, {"--cache", "c.arcache", "--duplicates", "keep-last"}), "c.arcache"},
      {with(fit, {"--log-dir", "logs"}), "logs/train.jsonl"},
      {{"synth", "--n-users", "50", "--n-items", "40", "--n-ratings", "700", "--out", "s.csv"}, "s.csv"},
      {{"predict", "--model-file", "model.ckpt", "--input", "pairs.csv", "--output", "p.csv", "--header", "no"},
       "p.csv"},
  };
  for (const Case& c : cases) {
    INFO("autorec " << c.args[0] << " writing " << c.kept);
    const std::string before = read_text(t.at(c.kept));
    kill_during_save(t, c.args);
    const std::string after = read_text(t.at(c.kept));
    if (c.kept.ends_with(".jsonl")) {
      // The log is rewritten whole each epoch (a new run starts it empty): any version, never a torn one.
      CHECK(is_whole_jsonl(after));
    } else {
      CHECK(after == before);
    }
    for (const std::string& left : temporaries(t.dir.path())) fs::remove(left);  // what kill -9 leaves
  }
  // export: the old manifest goes first, so a killed export leaves no manifest listing missing files.
  kill_during_save(t, {"export", "--model-file", "model.ckpt", "--out", "exp", "--export-format", "csv"});
  CHECK_FALSE(fs::exists(t.at("exp/manifest.json")));
  CHECK(run_cli(t.dir.path(), {"eval", "--model-file", "model.ckpt"}).exit_code == 0);
}

TEST_CASE("Ctrl-C or SIGTERM during a save removes the temporary and keeps the old file", "[cli][reliability]") {
  TrainedTiny t;
  const std::vector<std::string> synth = {"synth",     "--n-users", "50",    "--n-items", "40",
                                          "--n-ratings", "600",     "--out", "s.csv"};
  REQUIRE(run_cli(t.dir.path(), synth).exit_code == 0);
  const std::string before = read_text(t.at("s.csv"));
  for (const int signal_number : {SIGINT, SIGTERM}) {
    kill_during_save(t, {"synth", "--n-users", "50", "--n-items", "40", "--n-ratings", "700", "--out", "s.csv"},
                     signal_number);
    CHECK(read_text(t.at("s.csv")) == before);
    CHECK(temporaries(t.dir.path()).empty());
  }
}

TEST_CASE("a cache is served only for the same content, and a corrupt one is rebuilt", "[cli][reliability]") {
  TempDir dir;
  std::ofstream(dir.path() / "a.csv") << "1,1,5\n2,1,3\n3,2,4\n4,2,2\n5,3,1\n";
  const auto stamp = fs::last_write_time(dir.path() / "a.csv");
  const std::vector<std::string> train = {
      "train",    "--data", "a.csv",           "--cache", "shared.arcache",        "--hidden", "4",
      "--epochs", "1",      "--test-fraction", "0.4",     "--validation-fraction", "0"};
  const CliResult first = run_cli(dir.path(), train);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.err.find("wrote cache") != std::string::npos);
  const CliResult reused = run_cli(dir.path(), train);
  CHECK(reused.err.find("loading cached") != std::string::npos);

  // Same size and mtime, other ratings: the old cache must not be served.
  std::ofstream(dir.path() / "a.csv") << "1,1,1\n2,1,1\n3,2,1\n4,2,1\n5,3,5\n";
  fs::last_write_time(dir.path() / "a.csv", stamp);
  const CliResult changed = run_cli(dir.path(), train);
  INFO(changed.err);
  CHECK(changed.exit_code == 0);
  CHECK(changed.err.find("loading cached") == std::string::npos);
  CHECK(changed.err.find("parsing again") != std::string::npos);

  // Another file of the same size, mtime and name pattern sharing the cache: rebuilt too.
  fs::copy_file(dir.path() / "a.csv", dir.path() / "b.csv");
  fs::last_write_time(dir.path() / "b.csv", stamp);
  std::vector<std::string> other = train;
  other[2] = "b.csv";
  CHECK(run_cli(dir.path(), other).err.find("parsing again") != std::string::npos);

  // A corrupt cache: a warning, then parsed and rewritten; never a failure.
  std::string bytes = read_text(dir.path() / "shared.arcache");
  bytes[bytes.size() - 3] ^= 0x40;
  std::ofstream(dir.path() / "shared.arcache", std::ios::binary | std::ios::trunc) << bytes;
  const CliResult corrupt = run_cli(dir.path(), other);
  INFO(corrupt.err);
  CHECK(corrupt.exit_code == 0);
  CHECK(corrupt.err.find("warning: ignoring the cache") != std::string::npos);
  CHECK(run_cli(dir.path(), other).err.find("loading cached") != std::string::npos);
}

TEST_CASE("results written to a full standard output are an error, not a silent exit 0", "[cli][reliability]") {
  TrainedTiny t;
  for (const std::string& command :
       {std::string("predict --model-file model.ckpt --input pairs.csv"),
        std::string("train --data tiny.csv --hidden 8 --epochs 1 --quiet")}) {
    const std::string line = "cd '" + t.dir.path().string() + "' && OMP_NUM_THREADS=1 '" + AUTOREC_CLI_PATH + "' " +
                             command + " > /dev/full 2> full.err";
    const int status = std::system(line.c_str());
    INFO(command << ": " << read_text(t.at("full.err")));
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    CHECK(read_text(t.at("full.err")).find("standard output") != std::string::npos);
  }
}

TEST_CASE("predict and recommend inputs: a byte-order mark is skipped, a long id quoted briefly",
          "[cli][reliability]") {
  TrainedTiny t;
  std::ofstream(t.at("bom_pairs.csv"), std::ios::binary) << "\xEF\xBB\xBFuser,item\n1,1\n";
  const CliResult predicted =
      run_cli(t.dir.path(), {"predict", "--model-file", "model.ckpt", "--input", "bom_pairs.csv"});
  INFO(predicted.err);
  REQUIRE(predicted.exit_code == 0);
  CHECK(predicted.out.rfind("user,item,prediction\n1,1,", 0) == 0);  // the header line is a header, not a pair
  CHECK(std::count(predicted.out.begin(), predicted.out.end(), '\n') == 2);
  std::ofstream(t.at("bom_users.txt"), std::ios::binary) << "\xEF\xBB\xBF"
                                                            "1\n";
  CHECK(run_cli(t.dir.path(), {"recommend", "--model-file", "model.ckpt", "--users-file", "bom_users.txt"}).exit_code ==
        0);
  const CliResult unknown =
      run_cli(t.dir.path(), {"recommend", "--model-file", "model.ckpt", "--users", std::string(100000, 'u') + "\x1b"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.size() < 300);
  CHECK(unknown.err.find("(100001 bytes)") != std::string::npos);
}

}  // namespace
}  // namespace autorec::test
