// The table of model kinds: make_model() and the CLI find a model by its record's name here. A new
// built-in model is one file plus one entry in the table below; research code registers its own with
// register_model_kind() (docs/embedding.md, "A new model on the trainer").
#include <cmath>
#include <sstream>

#include "autorec/ensemble.h"
#include "autorec/error.h"
#include "autorec/matrix_factorization.h"
#include "autorec/model.h"

namespace autorec {
namespace {

struct ModelKind {
  std::string name;
  ModelMaker make;
  std::function<std::string(const ModelRecord&)> summary;
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

std::unique_ptr<RatingModel> make_ensemble(const ModelRecord& record, engine::Device device) {
  return std::make_unique<EnsembleModel>(record, device);
}

std::string ensemble_summary(const ModelRecord& record) {
  std::string text;
  for (const ModelRecord& member : ensemble_members(record)) text += (text.empty() ? "" : " + ") + model_summary(member);
  if (ensemble_has_baseline(record)) text += " + bias baseline";
  return text + ", blended on validation";
}

std::vector<ModelKind>& kinds() {
  static std::vector<ModelKind> table = {
      {"autorec", make_autorec, autorec_summary},
      {"mf", make_matrix_factorization, matrix_factorization_summary},
      {kEnsembleKind, make_ensemble, ensemble_summary},
  };
  return table;
}

const ModelKind* lookup(const std::string& name) {
  for (const ModelKind& kind : kinds()) {
    if (name == kind.name) return &kind;
  }
  return nullptr;
}

const ModelKind& find_kind(const std::string& name) {
  if (const ModelKind* kind = lookup(name)) return *kind;
  std::string known;
  for (const ModelKind& kind : kinds()) known += (known.empty() ? "" : ", ") + kind.name;
  throw ConfigError("unknown model kind '" + name + "' (known: " + known + ")");
}

}  // namespace

std::unique_ptr<RatingModel> make_model(const ModelRecord& record, engine::Device device) {
  return find_kind(record.kind).make(record, device);
}

std::vector<std::string> model_kinds() {
  std::vector<std::string> names;
  for (const ModelKind& kind : kinds()) names.push_back(kind.name);
  return names;
}

void register_model_kind(const std::string& name, ModelMaker make,
                         std::function<std::string(const ModelRecord&)> summary) {
  AUTOREC_CONFIG_CHECK(!name.empty() && make, "register_model_kind: a kind needs a name and a maker");
  AUTOREC_CONFIG_CHECK(lookup(name) == nullptr, "register_model_kind: the kind '", name, "' exists already");
  if (!summary) summary = [](const ModelRecord& record) { return record.kind; };
  kinds().push_back({name, std::move(make), std::move(summary)});
}

std::string model_summary(const ModelRecord& record) { return find_kind(record.kind).summary(record); }

}  // namespace autorec
