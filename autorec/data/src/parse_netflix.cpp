// Netflix Prize training data: blocks that start with a "MovieID:" line followed by
// "CustomerID,Rating,Date" lines. training_set/ holds one block per mv_*.txt file; the Kaggle
// combined_data_*.txt files hold many blocks each.
#include <algorithm>
#include <vector>

#include "autorec/data/error.h"
#include "line_reader.h"
#include "parsers.h"

namespace autorec::detail {
namespace {

namespace fs = std::filesystem;

bool is_rating_file_name(const std::string& name) {
  const bool text = name.size() > 4 && name.ends_with(".txt");
  return text && (name.starts_with("mv_") || name.starts_with("combined_data_"));
}

// The rating files of a Netflix folder, sorted by name so the load order (and so the id maps) is the
// same on every file system.
std::vector<std::string> list_rating_files(const fs::path& directory) {
  fs::path folder = directory;
  if (fs::is_directory(folder / "training_set")) folder /= "training_set";
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_regular_file() && is_rating_file_name(entry.path().filename().string())) {
      files.push_back(entry.path().string());
    }
  }
  if (error) throw DataError(directory.string(), 0, "cannot list directory: " + error.message());
  if (files.empty()) throw DataError(folder.string(), 0, "no mv_*.txt or combined_data_*.txt files in the directory");
  std::sort(files.begin(), files.end());
  return files;
}

// "123:" -> "123"; an empty view when the line is not a movie header.
std::string_view movie_header_id(std::string_view line) {
  const std::string_view trimmed = trim_field(line);
  if (trimmed.size() < 2 || trimmed.back() != ':') return {};
  return trim_field(trimmed.substr(0, trimmed.size() - 1));
}

std::size_t parse_netflix_file(const std::string& path, RecordSink& sink) {
  LineReader lines(path);
  Fields fields;
  std::string_view line;
  std::string movie;  // the current block's id (a copy: the line buffer is reused)
  std::size_t records = 0;
  while (lines.next(line)) {
    if (is_blank(line)) continue;
    if (const std::string_view header = movie_header_id(line); !header.empty()) {
      movie.assign(header);
      continue;
    }
    if (movie.empty()) throw DataError(path, lines.number(), "rating line before any 'MovieID:' line");
    split_fields(line, ",", fields);
    if (fields.count < 2 || fields.count > 3) {
      throw DataError(path, lines.number(),
                      "expected 'CustomerID,Rating,Date' (2 or 3 fields), found " + std::to_string(fields.count));
    }
    if (fields.field[0].empty()) throw DataError(path, lines.number(), "empty customer id");
    const float rating = parse_rating(fields.field[1], path, lines.number());
    sink.add(fields.field[0], movie, rating, SourcePosition{&path, lines.number()});
    ++records;
  }
  if (movie.empty()) throw DataError(path, 0, "empty file (no 'MovieID:' line)");
  return records;
}

}  // namespace

void parse_netflix(const fs::path& path, RecordSink& sink) {
  if (!fs::is_directory(path)) {
    if (parse_netflix_file(path.string(), sink) == 0) throw DataError(path.string(), 0, "no ratings");
    return;
  }
  std::size_t records = 0;
  for (const std::string& file : list_rating_files(path)) records += parse_netflix_file(file, sink);
  if (records == 0) throw DataError(path.string(), 0, "no ratings in any file");
}

}  // namespace autorec::detail
