#include "search_space.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "option_names.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

using Json = nlohmann::ordered_json;  // the dimensions in the order the file gives them

// splitmix64: a counter-based draw in [0, 1) for (seed, trial, dimension).
double uniform01(std::uint64_t seed, int trial, std::size_t dimension) {
  std::uint64_t z = seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(trial) * 0xBF58476D1CE4E5B9ULL +
                    static_cast<std::uint64_t>(dimension) * 0x94D049BB133111EBULL + 0x2545F4914F6CDD1DULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

std::string three_digits(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

Dimension choice(const std::string& option, std::vector<std::string> values) {
  Dimension d;
  d.option = option;
  d.choices = std::move(values);
  return d;
}

Dimension range(const std::string& option, Dimension::Kind kind, double low, double high, bool integer = false) {
  Dimension d;
  d.option = option;
  d.kind = kind;
  d.low = low;
  d.high = high;
  d.integer = integer;
  return d;
}

// A JSON scalar as an option's text: strings as they are, numbers as written, booleans as switches.
std::string option_text(const Json& value, const std::string& where) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number()) return value.dump();  // the shortest text that reads back as the same number
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  throw UsageError(where + ": expected a number or a string, found " + value.dump());
}

Dimension parse_dimension(const std::string& option, const Json& spec, const std::string& where) {
  if (spec.is_array()) return parse_dimension(option, Json{{"choice", spec}}, where);
  if (!spec.is_object()) return choice(option, {option_text(spec, where)});  // a fixed value
  if (spec.size() != 1) {
    throw UsageError(where + ": expected one of {\"choice\": [...]}, {\"uniform\": [low, high]}, "
                             "{\"log_uniform\": [low, high]}, found " + spec.dump());
  }
  const std::string kind = spec.begin().key();
  const Json& values = spec.begin().value();
  if (kind == "choice") {
    if (!values.is_array() || values.empty()) throw UsageError(where + ": \"choice\" needs a non-empty list of values");
    std::vector<std::string> texts;
    for (const Json& v : values) texts.push_back(option_text(v, where));
    return choice(option, texts);
  }
  if (kind == "uniform" || kind == "log_uniform") {
    if (!values.is_array() || values.size() != 2 || !values[0].is_number() || !values[1].is_number())
      throw UsageError(where + ": \"" + kind + "\" needs [low, high], two numbers");
    const double low = values[0].get<double>(), high = values[1].get<double>();
    if (!(low < high)) throw UsageError(where + ": \"" + kind + "\" needs low < high, found " + values.dump());
    if (kind == "log_uniform" && low <= 0.0)
      throw UsageError(where + ": \"log_uniform\" needs low > 0, found " + values.dump());
    const bool integer = values[0].is_number_integer() && values[1].is_number_integer();
    return range(option, kind == "uniform" ? Dimension::Kind::Uniform : Dimension::Kind::LogUniform, low, high,
                 integer);
  }
  throw UsageError(where + ": unknown kind \"" + kind + "\" (expected choice, uniform or log_uniform)" +
                   did_you_mean(kind, {"choice", "uniform", "log_uniform"}, ""));
}

}  // namespace

const std::vector<std::string>& tunable_options() {
  static const std::vector<std::string> names = {
      "model",     "factors",      "hidden",      "activation", "output-activation", "dropout",   "lambda",
      "loss",      "optimizer",    "lr",          "momentum",   "weight-decay",      "batch-size", "updates",
      "lr-schedule", "lr-factor",  "lr-step",     "lr-patience", "lr-min",           "epochs",    "patience",
      "precision"};
  return names;
}

SearchSpace default_search_space(const std::string& model) {
  using Kind = Dimension::Kind;
  SearchSpace space;
  space.origin = "the default space";
  const bool mf = model.rfind("mf", 0) == 0;
  auto& d = space.dimensions;
  if (mf) {
    d.push_back(range("lr", Kind::LogUniform, 0.002, 0.03));
    d.push_back(range("lambda", Kind::LogUniform, 3.0, 50.0));
    d.push_back(choice("factors", {"16", "32", "64", "128"}));
  } else {
    d.push_back(range("lr", Kind::LogUniform, 0.0003, 0.003));
    d.push_back(range("lambda", Kind::LogUniform, 20.0, 500.0));
    d.push_back(choice("hidden", {"250", "500", "750", "1000"}));
    d.push_back(range("dropout", Kind::Uniform, 0.0, 0.6));
  }
  // AutoRec's default batch (1024) is in its space; MF's (256) lost at 1024 (docs/benchmarks.md).
  d.push_back(mf ? choice("batch-size", {"64", "128", "256", "512"}) : choice("batch-size", {"64", "128", "256", "512", "1024"}));
  d.push_back(choice("lr-schedule", {"constant", "step", "cosine", "plateau"}));
  // Cosine anneals over --epochs; the others stop early long before the default 200.
  d.push_back(choice("epochs", {"60", "120", "200"}));
  return space;
}

SearchSpace load_search_space(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("--space " + path + ": cannot open the file");
  Json json;
  try {
    json = Json::parse(in);
  } catch (const Json::parse_error& error) {
    throw UsageError("--space " + path + ": not valid JSON: " + error.what());
  }
  if (!json.is_object() || json.empty())
    throw UsageError("--space " + path + ": expected a JSON object of options, e.g. {\"lr\": {\"log_uniform\": [0.0003, 0.003]}}");
  SearchSpace space;
  space.origin = path;
  const auto& names = tunable_options();
  for (const auto& [option, spec] : json.items()) {
    const std::string where = path + ": \"" + option + "\"";
    if (std::find(names.begin(), names.end(), option) == names.end()) {
      throw UsageError(where + ": not an option tune can search (it searches: model and training options such as lr, "
                               "lambda, hidden, dropout, batch-size, lr-schedule)" + did_you_mean(option, names, ""));
    }
    space.dimensions.push_back(parse_dimension(option, spec, where));
  }
  return space;
}

std::vector<std::pair<std::string, std::string>> sample_trial(const SearchSpace& space, std::uint64_t seed, int trial) {
  std::vector<std::pair<std::string, std::string>> values;
  for (std::size_t i = 0; i < space.dimensions.size(); ++i) {
    const Dimension& d = space.dimensions[i];
    const double u = uniform01(seed, trial, i);
    std::string text;
    if (d.kind == Dimension::Kind::Choice) {
      text = d.choices[std::min(d.choices.size() - 1, static_cast<std::size_t>(u * static_cast<double>(d.choices.size())))];
    } else {
      double value = d.kind == Dimension::Kind::Uniform ? d.low + u * (d.high - d.low)
                                                        : std::exp(std::log(d.low) + u * (std::log(d.high) - std::log(d.low)));
      if (d.integer) {
        text = std::to_string(static_cast<std::int64_t>(std::llround(std::clamp(value, d.low, d.high))));
      } else {
        text = three_digits(value);
      }
    }
    values.emplace_back(d.option, text);
  }
  return values;
}

}  // namespace autorec::cli
