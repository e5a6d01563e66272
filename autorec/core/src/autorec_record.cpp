// AutoRec's configuration and its ModelRecord, both ways: what checkpoints store and the CLI compares,
// with no engine code (the checkpoint reader and its fuzzer link this without the engine).
#include <charconv>
#include <cstdio>
#include <sstream>

#include "autorec/error.h"
#include "autorec/model.h"

namespace autorec {
namespace {

// Nine significant digits: every float reads back as the same float.
std::string exact_text(float value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", static_cast<double>(value));
  return text;
}

float parse_float(const ModelRecord& record, const std::string& key) {
  const std::string& text = record.setting(key);
  try {
    std::size_t used = 0;
    const float value = std::stof(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  throw ConfigError("model setting " + key + "='" + text + "' is not a number");
}

std::vector<std::int64_t> parse_sizes(const ModelRecord& record, const std::string& key) {
  std::vector<std::int64_t> sizes;
  std::istringstream in(record.setting(key));
  std::string part;
  while (std::getline(in, part, ',')) {
    try {
      std::size_t used = 0;
      sizes.push_back(std::stoll(part, &used));
      if (used != part.size()) throw ConfigError("");
    } catch (const std::exception&) {
      throw ConfigError("model setting " + key + "='" + record.setting(key) + "' is not a list of sizes");
    }
  }
  return sizes;
}

}  // namespace

ModelRecord autorec_record(const ModelConfig& config, std::int64_t n_inputs) {
  std::string hidden;
  for (const std::int64_t size : config.hidden) hidden += (hidden.empty() ? "" : ",") + std::to_string(size);
  return {"autorec",
          config.orientation,
          0,
          n_inputs,
          {{"hidden", hidden},
           {"activation", activation_name(config.hidden_activation)},
           {"output-activation", activation_name(config.output_activation)},
           {"dropout", exact_text(config.dropout)},
           {"seed", std::to_string(config.seed)}}};
}

ModelConfig autorec_config(const ModelRecord& record) {
  AUTOREC_CONFIG_CHECK(record.kind == "autorec", "not an AutoRec model: '", record.kind, "'");
  record.require_only({"hidden", "activation", "output-activation", "dropout", "seed"});
  ModelConfig config;
  config.orientation = record.orientation;
  config.hidden = parse_sizes(record, "hidden");
  config.hidden_activation = parse_activation(record.setting("activation"));
  config.output_activation = parse_activation(record.setting("output-activation"));
  config.dropout = parse_float(record, "dropout");
  const std::string& seed = record.setting("seed");
  const auto [end, error] = std::from_chars(seed.data(), seed.data() + seed.size(), config.seed);
  AUTOREC_CONFIG_CHECK(error == std::errc() && end == seed.data() + seed.size() && !seed.empty(),
                       "model setting seed='", seed, "' is not a seed");
  return config;
}

}  // namespace autorec
