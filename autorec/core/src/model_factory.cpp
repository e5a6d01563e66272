// The table of model kinds: make_model() and the CLI find a model by its record's name here. A new
// model is one file plus one entry in kKinds (docs/embedding.md, "A new model on the trainer").
#include <array>
#include <cmath>
#include <sstream>

#include "autorec/error.h"
#include "autorec/matrix_factorization.h"
#include "autorec/model.h"

namespace autorec {
namespace {

struct ModelKind {
  const char* name;
  std::unique_ptr<RatingModel> (*make)(const ModelRecord& record, engine::Device device);
  std::string (*summary)(const ModelRecord& record);
};

std::unique_ptr<RatingModel> make_autorec(const ModelRecord& record, engine::Device device) {
  return std::make_unique<AutoRecModel>(autorec_config(record), record.inputs, device);
}

std::string autorec_summary(const ModelRecord& record) {
  const ModelConfig m = autorec_config(record);
  std::string text = std::string(m.orientation == Orientation::ItemBased ? "I-AutoRec" : "U-AutoRec") + " hidden " +
                     record.setting("hidden") + " " + activation_name(m.hidden_activation) + "/" +
                     activation_name(m.output_activation);
  if (m.dropout > 0) text += " dropout " + std::to_string(static_cast<int>(std::lround(100 * m.dropout))) + "%";
  return text;
}

std::unique_ptr<RatingModel> make_matrix_factorization(const ModelRecord& record, engine::Device device) {
  return std::make_unique<MatrixFactorization>(matrix_factorization_config(record), record.rows, record.inputs,
                                               device);
}

std::string matrix_factorization_summary(const ModelRecord& record) {
  const MatrixFactorizationConfig c = matrix_factorization_config(record);
  return "biased MF " + std::to_string(c.factors) + " factors, batches of " +
         (c.orientation == Orientation::ItemBased ? "items" : "users");
}

constexpr std::array<ModelKind, 2> kKinds = {{
    {"autorec", make_autorec, autorec_summary},
    {"mf", make_matrix_factorization, matrix_factorization_summary},
}};

const ModelKind& find_kind(const std::string& name) {
  for (const ModelKind& kind : kKinds) {
    if (name == kind.name) return kind;
  }
  std::string known;
  for (const ModelKind& kind : kKinds) known += (known.empty() ? "" : ", ") + std::string(kind.name);
  throw ConfigError("unknown model kind '" + name + "' (known: " + known + ")");
}

}  // namespace

const std::string& ModelRecord::setting(const std::string& key) const {
  for (const auto& [name, value] : settings) {
    if (name == key) return value;
  }
  throw ConfigError("model '" + kind + "' has no setting '" + key + "'");
}

bool ModelRecord::has(const std::string& key) const {
  for (const auto& entry : settings) {
    if (entry.first == key) return true;
  }
  return false;
}

void ModelRecord::require_only(std::initializer_list<const char*> known) const {
  for (const auto& entry : settings) {
    bool found = false;
    for (const char* name : known) found = found || entry.first == name;
    AUTOREC_CONFIG_CHECK(found, "model '", kind, "' has no setting '", entry.first, "'");
  }
}

std::unique_ptr<RatingModel> make_model(const ModelRecord& record, engine::Device device) {
  return find_kind(record.kind).make(record, device);
}

std::vector<std::string> model_kinds() {
  std::vector<std::string> names;
  for (const ModelKind& kind : kKinds) names.emplace_back(kind.name);
  return names;
}

std::string model_summary(const ModelRecord& record) { return find_kind(record.kind).summary(record); }

}  // namespace autorec
