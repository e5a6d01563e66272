// ModelRecord's lookups: what a checkpoint's model section holds, readable without building the model
// (the checkpoint reader and its fuzzer need no engine).
#include "autorec/error.h"
#include "autorec/rating_model.h"

namespace autorec {

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

}  // namespace autorec
