// The format parsers behind load_ratings(): each reads a path and feeds its records, in file order, to
// a RecordSink. Bad input throws DataError "file:line: reason".
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "autorec/data/load.h"
#include "fields.h"
#include "record_sink.h"

namespace autorec::detail {

struct DelimitedSpec {
  DelimitedOptions options;
  std::size_t max_fields = Fields::kMaxFields;  // the MovieLens presets allow 3 or 4
};

// The spec a named delimited-family format means (ml-100k, ml-1m, csv); `delimited` returns `custom`.
DelimitedSpec delimited_spec(Format format, const DelimitedOptions& custom);

void parse_delimited(const std::string& path, const DelimitedSpec& spec, RecordSink& sink);

// The pieces of a parse by byte ranges (load_ratings parses a large file in parallel ranges).
struct RangeCount {
  std::size_t records = 0;
  std::size_t lines = 0;  // every line of the range, blank ones included
};
// Bytes [0, end) (end at a line start, or past the end of the file): the first non-blank line fixes
// the field count, returned through expected_fields (0 when the range has none), and may be a header.
RangeCount parse_delimited_head(const std::string& path, const DelimitedSpec& spec, std::uint64_t end,
                                std::size_t& expected_fields, RecordSink& sink);
// Bytes [begin, end) after the first line: every non-blank line has expected_fields fields. Errors
// name the line within the range (1 = the range's first line).
RangeCount parse_delimited_range(const std::string& path, const DelimitedSpec& spec, std::uint64_t begin,
                                 std::uint64_t end, std::size_t expected_fields, RecordSink& sink);
// The field count the file's first non-blank line fixes, when that line lies in bytes [0, end); 0
// otherwise. Throws the first line's field-count error.
std::size_t first_line_field_count(const std::string& path, const DelimitedSpec& spec, std::uint64_t end);
// DataError "empty file (no ratings)" or "no ratings after the header" when records is 0.
void check_has_records(const std::string& path, std::size_t records, std::size_t expected_fields);

// A directory (training_set/ with mv_*.txt or combined_data_*.txt, or a folder holding training_set/),
// or one such file.
void parse_netflix(const std::filesystem::path& path, RecordSink& sink);

}  // namespace autorec::detail
