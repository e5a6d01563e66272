// autorec predict: ratings for (user, item) pairs given by raw ids. Pairs whose user or item the
// model has never seen get the default rating (the paper's cold-start rule).
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iomanip>

#include "commands.h"
#include "csv_field.h"
#include "model_file.h"
#include "output_guard.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

struct RawPair {
  std::string user, item;
};

// The first two fields of a line separated by "::", ',', tab, ';', '|' or spaces.
std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::string current;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    const bool double_colon = c == ':' && i + 1 < line.size() && line[i + 1] == ':';
    if (double_colon || c == ',' || c == '\t' || c == ';' || c == '|' || c == ' ' || c == '\r') {
      if (!current.empty()) fields.push_back(current);
      current.clear();
      i += double_colon ? 1 : 0;
    } else {
      current += c;
    }
  }
  if (!current.empty()) fields.push_back(current);
  return fields;
}

// The words a header line of (user, item) columns is made of; anything else is data.
bool is_header_word(std::string word) {
  std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* known : {"user", "userid", "user_id", "item", "itemid", "item_id", "movieid", "movie_id"}) {
    if (word == known) return true;
  }
  return false;
}

// --header yes: the first line is a header; no: it is data; auto (default): it is a header only when
// its first two fields are header words. Guessing from "unknown and not a number" would drop a real
// query for a new user with a string id.
bool is_header(const std::vector<std::string>& fields, const std::string& mode) {
  if (mode != "auto") return mode == "yes";
  return is_header_word(fields[0]) && is_header_word(fields[1]);
}

std::vector<RawPair> read_pairs(const std::string& path, const std::string& header_mode) {
  std::ifstream in(path);
  if (!in) throw UsageError("--input: cannot open " + path);
  std::vector<RawPair> pairs;
  std::string line;
  bool first_line = true;
  for (int number = 1; std::getline(in, line); ++number) {
    if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a byte-order mark is no id
    const std::vector<std::string> fields = split_fields(line);
    if (fields.empty() || fields[0][0] == '#') continue;
    if (fields.size() < 2) throw UsageError(path + ":" + std::to_string(number) + ": expected 'user item'");
    const bool header = first_line && is_header(fields, header_mode);
    first_line = false;
    if (!header) pairs.push_back({fields[0], fields[1]});
  }
  return pairs;
}

// The pairs as rating queries over the model's indices; -1 marks an unknown id (cold start).
Ratings to_queries(const std::vector<RawPair>& pairs, const Ratings& inputs) {
  Ratings queries;
  queries.user_ids = inputs.user_ids;
  queries.item_ids = inputs.item_ids;
  queries.reserve(pairs.size());
  for (const RawPair& p : pairs) {
    queries.push_back(inputs.user_ids->find(p.user).value_or(-1), inputs.item_ids->find(p.item).value_or(-1), 0.0f);
  }
  return queries;
}

}  // namespace

int run_predict(const Options& options) {
  if (!options.has("input")) throw UsageError("autorec predict needs --input FILE of (user, item) pairs");
  OutputGuard(options).input("checkpoint").input("model-file").input("input").output("output", OutputKind::csv_table);
  TrainedModel trained = load_trained(options);
  const Checkpoint& c = trained.checkpoint;
  const std::vector<RawPair> pairs =
      read_pairs(options.text("input"), options.choice("header", "auto", {"auto", "yes", "no"}));
  const std::vector<float> predictions =
      predict_pairs(*trained.model, trained.input_rows, to_queries(pairs, *c.inputs), c.rules);
  OutputFile output(options.optional_text("output"));
  std::ostream& out = output.stream();
  out << "user,item,prediction\n" << std::setprecision(6);
  for (std::size_t i = 0; i < pairs.size(); ++i)
    out << csv_field(pairs[i].user) << ',' << csv_field(pairs[i].item) << ',' << predictions[i] << '\n';
  output.close();
  return 0;
}

}  // namespace autorec::cli
