// Format names and detection from the content: a directory is Netflix; otherwise the first non-blank
// line decides (rules in docs/data.md).
#include <filesystem>
#include <stdexcept>

#include "autorec/data/error.h"
#include "autorec/data/load.h"
#include "line_reader.h"

namespace autorec {
namespace {

bool is_netflix_movie_header(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  if (line.size() < 2 || line.back() != ':') return false;
  line.remove_suffix(1);
  for (const char c : line) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string first_non_blank_line(const std::string& path) {
  detail::LineReader lines(path);
  std::string_view line;
  while (lines.next(line)) {
    if (!detail::is_blank(line)) return std::string(line);
  }
  return {};
}

}  // namespace

Format parse_format(std::string_view name) {
  if (name == "auto") return Format::automatic;
  if (name == "ml-100k") return Format::ml_100k;
  if (name == "ml-1m" || name == "ml-10m") return Format::ml_1m;
  if (name == "csv") return Format::csv;
  if (name == "netflix") return Format::netflix;
  if (name == "delimited") return Format::delimited;
  throw std::invalid_argument("unknown format '" + std::string(name) +
                              "' (expected auto, ml-100k, ml-1m, ml-10m, csv, netflix or delimited)");
}

std::string format_name(Format format) {
  switch (format) {
    case Format::automatic: return "auto";
    case Format::ml_100k: return "ml-100k";
    case Format::ml_1m: return "ml-1m";
    case Format::csv: return "csv";
    case Format::netflix: return "netflix";
    case Format::delimited: return "delimited";
  }
  return "unknown";
}

Format detect_format(const std::filesystem::path& path, std::string* separator) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return Format::netflix;
  const std::string line = first_non_blank_line(path.string());
  if (line.empty()) throw DataError(path.string(), 0, "empty file (no ratings)");
  if (is_netflix_movie_header(line)) return Format::netflix;
  if (line.find("::") != std::string_view::npos) return Format::ml_1m;
  if (line.find('\t') != std::string_view::npos) return Format::ml_100k;
  if (line.find(',') != std::string_view::npos) return Format::csv;
  for (const char candidate : {';', '|', ' '}) {
    if (line.find(candidate) != std::string_view::npos) {
      if (separator != nullptr) *separator = std::string(1, candidate);
      return Format::delimited;
    }
  }
  throw DataError(path.string(), 1,
                  "cannot detect the format: no '::', tab, ',', ';', '|' or space separator on the first line; "
                  "name it (--format)");
}

}  // namespace autorec
