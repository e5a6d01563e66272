// Command-line flags of the benchmark programs: "--name value" and "--name" switches, nothing more.
// Unknown flags and missing values throw std::invalid_argument with the flag named, so a typo in the
// GPU check script fails loudly instead of silently running the default set.
#pragma once

#include <map>
#include <set>
#include <string>

namespace bench {

class Flags {
 public:
  // switches: flags without a value (--quick); valued: flags that take one (--out DIR).
  Flags(int argc, char** argv, const std::set<std::string>& switches, const std::set<std::string>& valued);

  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::string text(const std::string& name, const std::string& fallback) const;
  long long integer(const std::string& name, long long fallback) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace bench
