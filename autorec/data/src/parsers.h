// The format parsers behind load_ratings(): each reads a path and feeds its records, in file order, to
// a RecordSink. Bad input throws DataError "file:line: reason".
#pragma once

#include <cstddef>
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

// A directory (training_set/ with mv_*.txt or combined_data_*.txt, or a folder holding training_set/),
// or one such file.
void parse_netflix(const std::filesystem::path& path, RecordSink& sink);

}  // namespace autorec::detail
