#include "flags.h"

#include <stdexcept>

namespace bench {

Flags::Flags(int argc, char** argv, const std::set<std::string>& switches, const std::set<std::string>& valued) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument '" + arg + "'");
    const std::string name = arg.substr(2);
    if (switches.count(name) != 0) {
      values_[name] = "1";
    } else if (valued.count(name) != 0) {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      values_[name] = argv[++i];
    } else {
      throw std::invalid_argument("unknown flag '" + arg + "' (try --help)");
    }
  }
}

std::string Flags::text(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

long long Flags::integer(const std::string& name, long long fallback) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(it->second, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != it->second.size()) throw std::invalid_argument("--" + name + " expects an integer, got '" + it->second + "'");
  return value;
}

}  // namespace bench
