#include "output_guard.h"

#include <sys/stat.h>

#include <fstream>
#include <regex>

#include "autorec/data/atomic_file.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

namespace fs = std::filesystem;

std::string kind_name(OutputKind kind) {
  switch (kind) {
    case OutputKind::checkpoint:
      return "an autorec checkpoint";
    case OutputKind::ratings_cache:
      return "an autorec ratings cache";
    case OutputKind::rating_file:
      return "a rating file written by autorec synth";
    case OutputKind::csv_table:
      return "a CSV written by autorec predict or recommend";
    case OutputKind::log_jsonl:
      return "a training log (JSON lines)";
    case OutputKind::svg:
      return "an SVG training curve";
    case OutputKind::export_folder:
      return "an autorec export folder";
    case OutputKind::config_file:
      return "empty (a config file is never replaced without --force)";
  }
  return "a file of this kind";
}

std::string first_line(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line(256, '\0');
  in.read(line.data(), static_cast<std::streamsize>(line.size()));
  line.resize(static_cast<std::size_t>(in.gcount()));
  return line.substr(0, line.find('\n'));
}

bool is_folder_kind(OutputKind kind) { return kind == OutputKind::export_folder; }

// Files an export may write: a model file inside the export folder with another name is safe.
bool export_may_write(const fs::path& name) {
  const std::string extension = name.extension().string();
  return extension == ".npy" || extension == ".csv" || name.filename() == "manifest.json";
}

bool inside(const fs::path& file, const fs::path& folder) {
  std::error_code error;
  const fs::path parent = fs::weakly_canonical(fs::absolute(file, error).parent_path(), error);
  return parent == fs::weakly_canonical(folder, error);
}

}  // namespace

bool same_file(const fs::path& a, const fs::path& b) {
  struct stat sa {
  }, sb{};
  if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  std::error_code error_a, error_b;
  const fs::path ca = fs::weakly_canonical(fs::absolute(a), error_a);
  const fs::path cb = fs::weakly_canonical(fs::absolute(b), error_b);
  return !error_a && !error_b && ca == cb;
}

bool looks_like(const fs::path& file, OutputKind kind) {
  std::error_code error;
  if (fs::file_size(file, error) == 0 && !error) return true;  // nothing to lose
  const std::string line = first_line(file);
  switch (kind) {
    case OutputKind::checkpoint:
      return line.rfind("ARCKPT\r", 0) == 0;
    case OutputKind::ratings_cache:
      return line.rfind("ARRATING", 0) == 0;
    case OutputKind::rating_file: {
      static const std::regex synth_line(R"(\d+(,|::)\d+(,|::)\d+)");
      return std::regex_match(line, synth_line);
    }
    case OutputKind::csv_table:
      return line.rfind("user,", 0) == 0;
    case OutputKind::log_jsonl:
      return line.rfind("{", 0) == 0;
    case OutputKind::svg:
      return line.rfind("<svg", 0) == 0 || line.rfind("<?xml", 0) == 0;
    case OutputKind::export_folder:
      return fs::exists(file / "manifest.json") || fs::is_empty(file, error);
    case OutputKind::config_file:
      return false;  // not empty (above): someone's settings
  }
  return false;
}

OutputGuard::OutputGuard(const Options& options) : options_(options) {
  force_ = options.find_spec("force") != nullptr && options.flag("force");
  input("config");
}

OutputGuard& OutputGuard::input(const std::string& option) {
  if (options_.has(option)) inputs_.push_back({option, options_.text(option)});
  return *this;
}

OutputGuard& OutputGuard::output(const std::string& option, OutputKind kind, const std::string& may_equal_input) {
  if (!options_.has(option)) return *this;
  return output_path(option, options_.text(option), kind, may_equal_input);
}

OutputGuard& OutputGuard::output_path(const std::string& option, const fs::path& path, OutputKind kind,
                                      const std::string& may_equal_input) {
  const std::string named = "--" + option + " " + path.string();
  if (path.empty()) throw UsageError("--" + option + ": empty path");
  for (const Named& in : inputs_) {
    if (in.option == may_equal_input) continue;
    if (same_file(path, in.path)) {
      throw UsageError(named + " is the same file as --" + in.option +
                       ", an input of this command: refusing to overwrite it");
    }
    if (kind == OutputKind::export_folder && inside(in.path, path) && export_may_write(in.path.filename())) {
      throw UsageError(named + " holds the --" + in.option + " input " + in.path.string() +
                       ", which the export could overwrite: refusing (choose another folder)");
    }
  }
  for (const Named& out : outputs_) {
    if (same_file(path, out.path)) throw UsageError(named + " is also the --" + out.option + " output: refusing");
  }
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (fs::exists(status)) {
    if (is_folder_kind(kind) != fs::is_directory(status)) {
      throw UsageError(named + (is_folder_kind(kind) ? " is a file, expected a folder: refusing"
                                                     : " is a folder, expected a file: refusing"));
    }
    if (!is_folder_kind(kind) && !fs::is_regular_file(status)) {
      throw UsageError(named + " is not a regular file (a device, pipe or socket): refusing to replace it");
    }
    if (!force_ && !looks_like(path, kind)) {
      throw UsageError(named + " exists and is not " + kind_name(kind) +
                       ": refusing to overwrite it (pass --force to overwrite it anyway)");
    }
  }
  try {
    check_destination(is_folder_kind(kind) ? path / "manifest.json" : path);
  } catch (const WriteError& failure) {
    throw UsageError("--" + option + ": " + failure.what());
  }
  outputs_.push_back({option, path});
  return *this;
}

}  // namespace autorec::cli
