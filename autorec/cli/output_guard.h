// Never clobber what isn't ours: every command checks all the paths it will write, before any work.
// An output is refused when it is one of the run's inputs (the same file by device and inode, or by
// canonical path when it does not exist yet), when two outputs are the same file, when it exists
// and is not a file of the kind the command writes (checked by its magic or first line; --force
// allows that one), or when its folder cannot be created. Missing parent folders are created at
// the first write (AtomicFile), for every output alike.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "options.h"

namespace autorec::cli {

enum class OutputKind {
  checkpoint,     // "ARCKPT\r\n" magic
  ratings_cache,  // "ARRATING" magic
  rating_file,    // what `synth` writes: "1,2,3" or "1::2::3" lines
  csv_table,      // predict/recommend output: a "user,..." header line
  log_jsonl,      // train.jsonl: one JSON object per line
  svg,            // training_curve.svg
  export_folder,  // a folder: empty, or holding the manifest.json of an earlier export
  config_file,    // tune's --output: any existing file that is not empty needs --force
};

class OutputGuard {
 public:
  // Takes --force, and --config as an input.
  explicit OutputGuard(const Options& options);

  // The path of `option` (when given) is an input of this run.
  OutputGuard& input(const std::string& option);
  // Checks the path of `option` (when given) as an output. `may_equal_input` names the one input
  // option it may be (--checkpoint continuing --resume). Throws UsageError naming the option.
  OutputGuard& output(const std::string& option, OutputKind kind, const std::string& may_equal_input = "");
  // The same for a path derived from an option (a file inside --log-dir, the --cache auto path).
  OutputGuard& output_path(const std::string& option, const std::filesystem::path& path, OutputKind kind,
                           const std::string& may_equal_input = "");

 private:
  struct Named {
    std::string option;
    std::filesystem::path path;
  };
  const Options& options_;
  bool force_ = false;
  std::vector<Named> inputs_, outputs_;
};

// Whether two paths name the same file: same device and inode when both exist, otherwise the same
// canonical path (a link or "dir/../file" spelling of a file still to be created).
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

// Whether an existing file holds what `kind` says (its magic, or its first line); empty files do.
bool looks_like(const std::filesystem::path& file, OutputKind kind);

}  // namespace autorec::cli
