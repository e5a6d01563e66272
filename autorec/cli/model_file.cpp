#include "model_file.h"

#include <cerrno>
#include <iostream>

#include "autorec/data/atomic_file.h"
#include "autorec/data/error.h"
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

OutputFile::OutputFile(const std::optional<std::string>& path) : path_(path), stdout_(&std::cout) {}

void OutputFile::close() {
  if (path_) {
    write_file_atomically(*path_, text_.str());
  } else {
    stdout_->flush();
    if (!*stdout_) throw WriteError("standard output", "cannot write", errno);  // > /dev/full, a closed pipe
  }
}

std::vector<std::int32_t> lookup_ids(const std::vector<std::string>& raw, const IdMap& map, const std::string& what) {
  std::vector<std::int32_t> indices;
  indices.reserve(raw.size());
  for (const std::string& id : raw) {
    const auto index = map.find(id);
    if (!index) throw UsageError(what + " " + autorec::quoted(id) + " is not in the model's training data");
    indices.push_back(*index);
  }
  return indices;
}

}  // namespace autorec::cli
