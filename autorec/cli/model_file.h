// Loading a trained model for eval, predict, recommend and export: the checkpoint named by
// --checkpoint (or --model-file) holds the model, its id maps and its training inputs.
#pragma once

#include <sstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "autorec/checkpoint.h"
#include "options.h"

namespace autorec::cli {

struct TrainedModel {
  Checkpoint checkpoint;
  engine::Device device;
  std::unique_ptr<RatingModel> model;
  engine::SparseMatrix input_rows;  // (rows, n_inputs) host: the training ratings fed as inputs
};

TrainedModel load_trained(const Options& options);

// The output stream for --output (a file) or stdout. A file is collected in memory and written at
// close() through AtomicFile: complete or not at all.
class OutputFile {
 public:
  explicit OutputFile(const std::optional<std::string>& path);
  std::ostream& stream() { return path_ ? text_ : *stdout_; }
  void close();  // throws WriteError naming the file when it cannot be written

 private:
  std::optional<std::string> path_;
  std::ostringstream text_;
  std::ostream* stdout_;
};

// Raw ids from "a,b,c" (or one per line) through an id map; throws UsageError naming an unknown id.
std::vector<std::int32_t> lookup_ids(const std::vector<std::string>& raw, const IdMap& map, const std::string& what);

}  // namespace autorec::cli
