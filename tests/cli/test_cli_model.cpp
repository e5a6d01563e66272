// The commands that use a trained model file: eval, predict, recommend, export; and info.
#include <cstring>
#include <set>
#include <sstream>

#include "autorec/checkpoint.h"
#include "cli_fixture.h"

namespace autorec::test {
namespace {

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::istringstream parts(line);
    std::string field;
    while (std::getline(parts, field, ',')) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

struct TrainedTiny : TinyData {
  Checkpoint checkpoint;
  std::string train_json;
  TrainedTiny() {
    const CliResult r = train({"--epochs", "5", "--lr", "0.05", "--checkpoint", "model.ckpt", "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    train_json = r.out;
    checkpoint = load_checkpoint(dir.path() / "model.ckpt");
  }
};

TEST_CASE("eval reproduces the test metrics of training", "[cli][model]") {
  TrainedTiny tiny;
  const CliResult r = run_cli(tiny.dir.path(), {"eval", "--model-file", "model.ckpt", "--json", "--ranking-k", "5"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json_value(r.out, "test_rmse") == json_value(tiny.train_json, "test_rmse"));
  CHECK(json_number(r.out, "test_ratings") == json_number(tiny.train_json, "test_ratings"));
  const double hit_rate = json_number(r.out, "hit_rate");
  CHECK(hit_rate >= 0.0);
  CHECK(hit_rate <= 1.0);
}

TEST_CASE("predict gives one clipped prediction per pair, the default for unknown ids", "[cli][model]") {
  TrainedTiny tiny;
  const IdMap& users = *tiny.checkpoint.inputs->user_ids;
  const IdMap& items = *tiny.checkpoint.inputs->item_ids;
  const std::string known_user = users.raw_id(0), known_item = items.raw_id(0);
  tiny.dir.write("pairs.txt", "user,item\n" + known_user + "," + known_item + "\n" + known_user + "\t" +
                                  items.raw_id(1) + "\nnobody,123456\n");
  const CliResult r = run_cli(tiny.dir.path(), {"predict", "--model-file", "model.ckpt", "--input", "pairs.txt"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto rows = csv_rows(r.out);
  REQUIRE(rows.size() == 4);  // header + 3 pairs
  CHECK(rows[0] == std::vector<std::string>{"user", "item", "prediction"});
  CHECK(rows[1][0] == known_user);
  CHECK(rows[2][1] == items.raw_id(1));
  for (int i = 1; i <= 2; ++i) {
    const double p = std::stod(rows[i][2]);
    CHECK(p >= tiny.checkpoint.rules.clip_min);
    CHECK(p <= tiny.checkpoint.rules.clip_max);
  }
  CHECK(std::stod(rows[3][2]) == tiny.checkpoint.rules.default_rating);  // cold start
}

TEST_CASE("recommend lists N unseen items per user, best first", "[cli][model]") {
  TrainedTiny tiny;
  const Ratings& inputs = *tiny.checkpoint.inputs;
  const std::string u0 = inputs.user_ids->raw_id(0), u1 = inputs.user_ids->raw_id(1);
  const CliResult r = run_cli(tiny.dir.path(), {"recommend", "--model-file", "model.ckpt", "--users", u0 + "," + u1,
                                                "--top", "4", "--output", "top.csv"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto rows = csv_rows(read_text(tiny.dir.path() / "top.csv"));
  REQUIRE(rows.size() == 9);
  std::set<std::pair<std::int32_t, std::int32_t>> rated;  // (user, item) pairs of the training inputs
  for (std::size_t k = 0; k < inputs.size(); ++k) rated.insert({inputs.users[k], inputs.items[k]});
  for (std::size_t i = 1; i < rows.size(); ++i) {
    INFO("row " << i);
    CHECK(rows[i][1] == std::to_string((i - 1) % 4 + 1));  // ranks 1..4
    const std::pair<std::int32_t, std::int32_t> pair = {*inputs.user_ids->find(rows[i][0]),
                                                         *inputs.item_ids->find(rows[i][2])};
    CHECK(rated.count(pair) == 0);  // never an item the user rated in training
    if (rows[i][1] != "1") CHECK(std::stod(rows[i][3]) <= std::stod(rows[i - 1][3]));  // best first
  }
  CHECK(rows[1][0] == u0);
  CHECK(rows[5][0] == u1);
}

TEST_CASE("export writes .npy codes and weights with matching shapes", "[cli][model]") {
  TrainedTiny tiny;
  const CliResult r = run_cli(tiny.dir.path(), {"export", "--model-file", "model.ckpt", "--out", "exported"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto folder = tiny.dir.path() / "exported";
  const std::string codes = read_text(folder / "codes.npy");
  REQUIRE(codes.size() > 10);
  CHECK(codes.compare(0, 6, "\x93NUMPY") == 0);
  const auto header_size =
      static_cast<std::size_t>(static_cast<unsigned char>(codes[8]) | static_cast<unsigned char>(codes[9]) << 8);
  CHECK((10 + header_size) % 64 == 0);
  const std::int32_t rows = tiny.checkpoint.inputs->n_items();  // I-AutoRec: one code per item
  const std::string shape = "(" + std::to_string(rows) + ", 8)";
  CHECK(codes.find(shape) != std::string::npos);
  CHECK(codes.size() == 10 + header_size + static_cast<std::size_t>(rows) * 8 * sizeof(float));
  CHECK(csv_rows(read_text(folder / "row_ids.csv")).size() == static_cast<std::size_t>(rows) + 1);
  CHECK(read_text(folder / "manifest.json").find("encoder_weight.npy") != std::string::npos);

  const CliResult csv =
      run_cli(tiny.dir.path(), {"export", "--model-file", "model.ckpt", "--out", "csv", "--export-format", "csv"});
  REQUIRE(csv.exit_code == 0);
  const auto code_rows = csv_rows(read_text(tiny.dir.path() / "csv" / "codes.csv"));
  REQUIRE(code_rows.size() == static_cast<std::size_t>(rows));
  CHECK(code_rows[0].size() == 8);
  for (const std::string& value : code_rows[0]) {  // sigmoid codes
    CHECK(std::stod(value) > 0.0);
    CHECK(std::stod(value) < 1.0);
  }
}

TEST_CASE("info describes the build and devices", "[cli]") {
  TempDir dir;
  const CliResult r = run_cli(dir.path(), {"info", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json_value(r.out, "cpu_backend")->rfind("cpu", 0) == 0);
  CHECK(json_value(r.out, "cuda_available"));
  CHECK(json_number(r.out, "openmp_threads") == 1);  // the runner sets OMP_NUM_THREADS=1
  CHECK(json_value(r.out, "compiler"));
}

}  // namespace
}  // namespace autorec::test
