#include "options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "option_names.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

// Strict whole-string conversions: "12abc", "" and out-of-range values are rejected.
std::optional<std::int64_t> to_integer(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return value;
}

std::optional<double> to_real(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || *end != '\0' || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

}  // namespace

Options::Options(std::string command, std::vector<const OptionSpec*> allowed)
    : command_(std::move(command)), allowed_(std::move(allowed)) {}

const OptionSpec* Options::find_spec(const std::string& name) const {
  for (const OptionSpec* spec : allowed_) {
    if (name == spec->name) return spec;
  }
  return nullptr;
}

std::vector<std::string> Options::names() const {
  std::vector<std::string> names;
  for (const OptionSpec* spec : allowed_) names.emplace_back(spec->name);
  return names;
}

std::string Options::origin(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? "--" + name : it->second.origin;
}

std::string Options::text(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.text;
}

std::optional<std::string> Options::optional_text(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.text;
}

void Options::invalid(const std::string& name, const std::string& reason) const {
  const std::string where = origin(name);
  // A config line's origin is "file:line"; name the key too so the line is easy to find.
  const std::string subject = where.rfind("--", 0) == 0 ? where : where + ": " + name;
  throw UsageError(subject + ": invalid value '" + text(name) + "': " + reason);
}

bool Options::flag(const std::string& name) const {
  if (!has(name)) return false;
  const std::string value = text(name);
  if (value == "true" || value == "yes" || value == "1" || value == "on") return true;
  if (value == "false" || value == "no" || value == "0" || value == "off") return false;
  invalid(name, "expected true or false");
}

std::int64_t Options::integer(const std::string& name, std::int64_t fallback, std::int64_t min,
                              std::int64_t max) const {
  if (!has(name)) return fallback;
  const auto value = to_integer(text(name));
  if (!value) invalid(name, "expected an integer");
  if (*value < min || *value > max) {
    invalid(name, "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return *value;
}

double Options::real(const std::string& name, double fallback, double min, double max) const {
  if (!has(name)) return fallback;
  const auto value = to_real(text(name));
  if (!value) invalid(name, "expected a number");
  if (*value < min || *value > max) {
    std::ostringstream range;
    range << "expected a number in [" << min << ", " << max << "]";
    invalid(name, range.str());
  }
  return *value;
}

std::uint64_t Options::seed(const std::string& name, std::uint64_t fallback) const {
  return static_cast<std::uint64_t>(integer(name, static_cast<std::int64_t>(fallback), 0, INT64_MAX));
}

std::vector<std::int64_t> Options::integer_list(const std::string& name,
                                                const std::vector<std::int64_t>& fallback) const {
  if (!has(name)) return fallback;
  std::vector<std::int64_t> values;
  std::stringstream parts(text(name));
  std::string part;
  while (std::getline(parts, part, ',')) {
    const auto value = to_integer(part);
    if (!value || *value < 1) invalid(name, "expected positive integers separated by commas");
    values.push_back(*value);
  }
  if (values.empty()) invalid(name, "expected positive integers separated by commas");
  return values;
}

std::string Options::choice(const std::string& name, const std::string& fallback,
                            const std::vector<std::string>& choices) const {
  const std::string value = text(name, fallback);
  for (const std::string& c : choices) {
    if (value == c) return value;
  }
  invalid(name, "expected one of: " + join(choices) + did_you_mean(value, choices, ""));
}

Options parse_options(const std::string& command, std::vector<const OptionSpec*> allowed,
                      const std::vector<std::string>& args) {
  Options options(command, std::move(allowed));
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      throw UsageError("unexpected argument '" + arg + "' (options are written --name value)");
    }
    const std::size_t equals = arg.find('=');
    const std::string name = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
    const OptionSpec* spec = options.find_spec(name);
    if (spec == nullptr) {
      check_renamed(command, name, "--" + name);
      throw UsageError("unknown option --" + name + " for 'autorec " + command + "'" +
                       did_you_mean(name, options.names(), "--") + " (see autorec " + command + " --help)");
    }
    std::string value;
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (spec->value_name == nullptr) {
      value = "true";
    } else {
      if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a value (" + spec->value_name + ")");
      value = args[++i];
    }
    options.set(name, {value, "--" + name});
  }
  if (options.has("config")) apply_config_file(options.text("config"), options);
  return options;
}

}  // namespace autorec::cli
