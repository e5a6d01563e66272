// autorec recommend: the top-N items each given user has not rated, with their predicted ratings.
#include <fstream>
#include <iomanip>
#include <sstream>

#include "commands.h"
#include "csv_field.h"
#include "model_file.h"
#include "output_guard.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

std::vector<std::string> split_list(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, separator)) {
    while (!part.empty() && (part.back() == '\r' || part.back() == ' ')) part.pop_back();
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

std::vector<std::int32_t> requested_users(const Options& options, const IdMap& users) {
  const int sources = options.has("users") + options.has("users-file") + options.flag("all-users");
  if (sources != 1) throw UsageError("autorec recommend needs exactly one of --users, --users-file, --all-users");
  if (options.flag("all-users")) {
    std::vector<std::int32_t> all(static_cast<std::size_t>(users.size()));
    for (std::int32_t u = 0; u < users.size(); ++u) all[static_cast<std::size_t>(u)] = u;
    return all;
  }
  if (options.has("users")) return lookup_ids(split_list(options.text("users"), ','), users, "user");
  std::ifstream in(options.text("users-file"));
  if (!in) throw UsageError("--users-file: cannot open " + options.text("users-file"));
  std::stringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a UTF-8 byte-order mark is no part of an id
  return lookup_ids(split_list(text, '\n'), users, "user");
}

}  // namespace

int run_recommend(const Options& options) {
  const auto top = static_cast<int>(options.integer("top", 10, 1, 1000000));
  OutputGuard(options).input("checkpoint").input("model-file").input("users-file").output("output",
                                                                                           OutputKind::csv_table);
  TrainedModel trained = load_trained(options);
  const Checkpoint& c = trained.checkpoint;
  const std::vector<std::int32_t> users = requested_users(options, *c.inputs->user_ids);
  const auto lists = recommend(*trained.model, trained.input_rows, users, top);

  // The scores of the recommended pairs, through the same prediction path as `predict` (clipped).
  Ratings chosen;
  chosen.user_ids = c.inputs->user_ids;
  chosen.item_ids = c.inputs->item_ids;
  for (std::size_t u = 0; u < users.size(); ++u) {
    for (const std::int32_t item : lists[u]) chosen.push_back(users[u], item, 0.0f);
  }
  const std::vector<float> scores = predict_pairs(*trained.model, trained.input_rows, chosen, c.rules);

  OutputFile output(options.optional_text("output"));
  std::ostream& out = output.stream();
  out << "user,rank,item,prediction\n" << std::setprecision(6);
  std::size_t next = 0;
  for (std::size_t u = 0; u < users.size(); ++u) {
    for (std::size_t rank = 0; rank < lists[u].size(); ++rank, ++next) {
      out << csv_field(c.inputs->user_ids->raw_id(users[u])) << ',' << rank + 1 << ','
          << csv_field(c.inputs->item_ids->raw_id(lists[u][rank])) << ',' << scores[next] << '\n';
    }
  }
  output.close();
  return 0;
}

}  // namespace autorec::cli
