// Command-line and config-file options. Every subcommand accepts a fixed set of long options
// (option_table.cpp); `--config FILE` reads `key = value` lines with the same keys, and the command
// line overrides the file. Values are kept as text with their origin ("--epochs" or "run.conf:3")
// and converted on use, so a bad value's error names where it came from.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace autorec::cli {

struct OptionSpec {
  const char* name;        // long name without "--"
  const char* value_name;  // nullptr for a switch (--quiet): no value on the command line
  const char* help;
};

struct OptionValue {
  std::string text;
  std::string origin;  // "--name" or "file:line"
};

class Options {
 public:
  Options(std::string command, std::vector<const OptionSpec*> allowed);

  const std::string& command() const { return command_; }
  const std::vector<const OptionSpec*>& allowed() const { return allowed_; }
  const OptionSpec* find_spec(const std::string& name) const;
  std::vector<std::string> names() const;  // the option names this command accepts
  void set(const std::string& name, OptionValue value) { values_[name] = std::move(value); }

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  // Where the value came from, for messages ("--name" when unset).
  std::string origin(const std::string& name) const;
  std::string text(const std::string& name, const std::string& fallback = "") const;
  std::optional<std::string> optional_text(const std::string& name) const;
  bool flag(const std::string& name) const;  // a switch: true, yes, 1 / false, no, 0
  std::int64_t integer(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
  double real(const std::string& name, double fallback, double min, double max) const;
  std::uint64_t seed(const std::string& name, std::uint64_t fallback) const;
  // "500" or "500,250,500": positive integers.
  std::vector<std::int64_t> integer_list(const std::string& name, const std::vector<std::int64_t>& fallback) const;
  // The value must be one of `choices`.
  std::string choice(const std::string& name, const std::string& fallback,
                     const std::vector<std::string>& choices) const;

  // Throws UsageError "<origin>: invalid value '<text>' for <name>: <reason>".
  [[noreturn]] void invalid(const std::string& name, const std::string& reason) const;

 private:
  std::string command_;
  std::vector<const OptionSpec*> allowed_;
  std::map<std::string, OptionValue> values_;
};

// Parses argv after the subcommand: "--name value", "--name=value", switches. Applies the config
// file named by --config first, then the command line on top. Throws UsageError on anything unknown.
Options parse_options(const std::string& command, std::vector<const OptionSpec*> allowed,
                      const std::vector<std::string>& args);

// Reads a config file into `options` (values already set are kept: the command line wins).
void apply_config_file(const std::string& path, Options& options);

}  // namespace autorec::cli
