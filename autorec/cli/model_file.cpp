#include "model_file.h"

#include <fstream>
#include <iostream>

#include "run_setup.h"
#include "usage_error.h"

namespace autorec::cli {

TrainedModel load_trained(const Options& options) {
  const auto path = options.optional_text("model-file");
  if (!path)
    throw UsageError("autorec " + options.command() +
                     " needs --model-file PATH (the checkpoint saved by autorec train --checkpoint)");
  apply_thread_count(options);
  TrainedModel trained;
  trained.device = select_device(options);
  trained.checkpoint = load_checkpoint(*path);
  const Checkpoint& c = trained.checkpoint;
  trained.model = load_trained_model(c, trained.device);
  trained.input_rows = to_matrix(*c.inputs, c.model.orientation);
  return trained;
}

OutputFile::OutputFile(const std::optional<std::string>& path) : path_(path), stdout_(&std::cout) {
  if (!path) return;
  file_ = std::make_unique<std::ofstream>(*path, std::ios::trunc);
  if (!*file_) throw UsageError("--output: cannot write " + *path);
}

void OutputFile::close() {
  stream().flush();
  if (file_) {
    file_->close();
    if (!*file_) throw UsageError("--output: error while writing " + *path_);
  }
}

std::vector<std::int32_t> lookup_ids(const std::vector<std::string>& raw, const IdMap& map, const std::string& what) {
  std::vector<std::int32_t> indices;
  indices.reserve(raw.size());
  for (const std::string& id : raw) {
    const auto index = map.find(id);
    if (!index) throw UsageError(what + " '" + id + "' is not in the model's training data");
    indices.push_back(*index);
  }
  return indices;
}

}  // namespace autorec::cli
