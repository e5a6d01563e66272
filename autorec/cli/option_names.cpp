#include "option_names.h"

#include <algorithm>

#include "usage_error.h"

namespace autorec::cli {
namespace {

// Edits (insert, delete, substitute, swap two neighbours) between a and b: "trian" is 1 from "train".
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

struct Renamed {
  const char* command;
  const char* old_name;
  const char* new_name;
};

// One meaning per option name (issue 12): the inputs of eval/predict/recommend/export are model files,
// --checkpoint is what `train` writes; synth's counts and output format got names of their own.
constexpr Renamed kRenamed[] = {
    {"eval", "checkpoint", "model-file"},    {"predict", "checkpoint", "model-file"},
    {"recommend", "checkpoint", "model-file"}, {"export", "checkpoint", "model-file"},
    {"eval", "format", "test-format"},       {"synth", "users", "n-users"},
    {"synth", "items", "n-items"},           {"synth", "ratings", "n-ratings"},
    {"synth", "format", "synth-format"},
};

}  // namespace

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates,
                         const std::string& prefix) {
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const std::size_t d = edit_distance(name, candidate);
    if (best == nullptr || d < best_distance) {
      best = &candidate;
      best_distance = d;
    }
  }
  // Close enough to be a typo: one edit for names of 3 to 5 letters, two from 6 on; never for shorter.
  if (best == nullptr) return "";
  const std::size_t length = std::max(name.size(), best->size());
  const std::size_t allowed = length < 3 ? 0 : length < 6 ? 1 : 2;
  if (best_distance == 0 || best_distance > allowed) return "";
  return " (did you mean " + prefix + *best + "?)";
}

std::string did_you_mean_listed(const std::string& value, const std::string& message) {
  const std::size_t start = message.find("(expected ");
  if (start == std::string::npos) return "";
  std::vector<std::string> names;
  std::string word;
  for (std::size_t i = start + 10; i <= message.size(); ++i) {
    const char c = i < message.size() ? message[i] : ' ';
    if (c == ',' || c == ' ' || c == ')') {
      if (!word.empty() && word != "or" && word != "one" && word != "of:") names.push_back(word);
      word.clear();
      if (c == ')') break;
    } else {
      word += c;
    }
  }
  return did_you_mean(value, names, "");
}

void check_renamed(const std::string& command, const std::string& name, const std::string& origin) {
  for (const Renamed& r : kRenamed) {
    if (command == r.command && name == r.old_name) {
      throw UsageError(origin + ": 'autorec " + command + "' calls this option --" + r.new_name + " now (--" + name +
                       " means something else in other commands)");
    }
  }
}

}  // namespace autorec::cli
