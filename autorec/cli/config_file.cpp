// Config files: one `key = value` per line, keys as the long options without "--", `#` starts a
// comment (whole line or after the value), blank lines ignored, surrounding spaces trimmed.
#include <fstream>

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

}  // namespace

void apply_config_file(const std::string& path, Options& options) {
  std::ifstream in(path);
  if (!in) throw UsageError(path + ": cannot open config file");
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string where = path + ":" + std::to_string(number);
    const std::string content = trim(line.substr(0, line.find('#')));
    if (content.empty()) continue;
    const auto equals = content.find('=');
    if (equals == std::string::npos) throw UsageError(where + ": expected 'key = value', found '" + content + "'");
    const std::string key = trim(content.substr(0, equals));
    const std::string value = trim(content.substr(equals + 1));
    if (key == "config") throw UsageError(where + ": a config file cannot include another one");
    if (options.find_spec(key) == nullptr) {
      throw UsageError(where + ": unknown key '" + key + "' for 'autorec " + options.command() + "'");
    }
    if (value.empty()) throw UsageError(where + ": key '" + key + "' has no value");
    if (!options.has(key)) options.set(key, {value, where});  // the command line wins
  }
}

}  // namespace autorec::cli
