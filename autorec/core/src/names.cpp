// Names of the model's and trainer's choices, as the CLI and config files spell them.
#include <array>
#include <utility>

#include "autorec/error.h"
#include "autorec/model.h"
#include "autorec/trainer.h"

namespace autorec {
namespace {

template <class Enum, std::size_t N>
Enum parse_name(const std::array<std::pair<const char*, Enum>, N>& table, const std::string& name, const char* what) {
  std::string choices;
  for (const auto& [text, value] : table) {
    if (name == text) return value;
    choices += choices.empty() ? text : std::string(", ") + text;
  }
  throw ConfigError("unknown " + std::string(what) + " '" + name + "' (expected one of: " + choices + ")");
}

template <class Enum, std::size_t N>
std::string name_of(const std::array<std::pair<const char*, Enum>, N>& table, Enum value) {
  for (const auto& [text, v] : table) {
    if (v == value) return text;
  }
  return "?";
}

constexpr std::array<std::pair<const char*, Orientation>, 2> kOrientations = {{
    {"item", Orientation::ItemBased}, {"user", Orientation::UserBased}}};
constexpr const auto& kActivations = engine::kActivationNames;
constexpr std::array<std::pair<const char*, OptimizerKind>, 4> kOptimizers = {{{"adam", OptimizerKind::Adam},
                                                                              {"adamw", OptimizerKind::AdamW},
                                                                              {"sgd", OptimizerKind::Sgd},
                                                                              {"rprop", OptimizerKind::Rprop}}};
constexpr std::array<std::pair<const char*, Precision>, 2> kPrecisions = {{{"fp32", Precision::Fp32},
                                                                          {"bf16", Precision::Bf16}}};

}  // namespace

Orientation parse_orientation(const std::string& name) { return parse_name(kOrientations, name, "model orientation"); }
std::string orientation_name(Orientation orientation) { return name_of(kOrientations, orientation); }
Activation parse_activation(const std::string& name) { return parse_name(kActivations, name, "activation"); }
std::string activation_name(Activation activation) { return name_of(kActivations, activation); }
OptimizerKind parse_optimizer(const std::string& name) { return parse_name(kOptimizers, name, "optimizer"); }
std::string optimizer_name(OptimizerKind kind) { return name_of(kOptimizers, kind); }
Precision parse_precision(const std::string& name) { return parse_name(kPrecisions, name, "precision"); }
std::string precision_name(Precision precision) { return name_of(kPrecisions, precision); }

}  // namespace autorec
