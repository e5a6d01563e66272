// Config files: one `key = value` per line, keys as the long options without "--", blank lines
// ignored, surrounding spaces trimmed. `#` starts a comment at the start of a line or after a space or
// tab; elsewhere (`path = runs/#3`) it is part of the value, and `\#` is a literal '#' anywhere.
#include <fstream>

#include "option_names.h"
#include "options.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

// The line without its comment, with `\#` unescaped.
std::string strip_comment(const std::string& line) {
  std::string kept;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '#') {
      kept += '#';
      ++i;
    } else if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      break;
    } else {
      kept += line[i];
    }
  }
  return kept;
}

}  // namespace

void apply_config_file(const std::string& path, Options& options) {
  std::ifstream in(path);
  if (!in) throw UsageError(path + ": cannot open config file");
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string where = path + ":" + std::to_string(number);
    const std::string content = trim(strip_comment(line));
    if (content.empty()) continue;
    const auto equals = content.find('=');
    if (equals == std::string::npos) throw UsageError(where + ": expected 'key = value', found '" + content + "'");
    const std::string key = trim(content.substr(0, equals));
    const std::string value = trim(content.substr(equals + 1));
    if (key == "config") throw UsageError(where + ": a config file cannot include another one");
    if (options.find_spec(key) == nullptr) {
      check_renamed(options.command(), key, where);
      throw UsageError(where + ": unknown key '" + key + "' for 'autorec " + options.command() + "'" +
                       did_you_mean(key, options.names(), ""));
    }
    if (value.empty()) throw UsageError(where + ": key '" + key + "' has no value");
    if (!options.has(key)) options.set(key, {value, where});  // the command line wins
  }
}

}  // namespace autorec::cli
