// The delimited family: ML-100K u.data (tab), ML-1M/10M ratings.dat ("::"), ML-20M+ ratings.csv
// (comma, header) and generic delimited files. One loop; the formats differ only in their spec.
#include <algorithm>
#include <charconv>

#include "autorec/data/error.h"
#include "line_reader.h"
#include "parsers.h"

namespace autorec::detail {
namespace {

std::size_t columns_needed(const DelimitedOptions& options) {
  const int highest = std::max({options.user_column, options.item_column, options.rating_column});
  return static_cast<std::size_t>(highest) + 1;
}

void check_options(const DelimitedOptions& options, const std::string& path) {
  if (options.separator.empty()) throw DataError(path, 0, "delimited format: empty separator");
  if (std::min({options.user_column, options.item_column, options.rating_column}) < 0) {
    throw DataError(path, 0, "delimited format: negative column index");
  }
  if (columns_needed(options) > Fields::kMaxFields) {
    throw DataError(path, 0, "delimited format: column index beyond " + std::to_string(Fields::kMaxFields));
  }
}

// The first non-blank line fixes the field count every other line must have.
std::size_t check_first_line_field_count(const Fields& fields, const DelimitedSpec& spec, const std::string& path,
                                         std::size_t line) {
  const std::size_t needed = columns_needed(spec.options);
  if (fields.count < needed || fields.count > spec.max_fields) {
    const std::string wanted = spec.max_fields == Fields::kMaxFields
                                   ? "at least " + std::to_string(needed)
                                   : std::to_string(needed) + " to " + std::to_string(spec.max_fields);
    throw DataError(path, line, "expected " + wanted + " fields separated by '" + spec.options.separator +
                                    "', found " + std::to_string(fields.count));
  }
  return fields.count;
}

// Automatic mode: a header when the rating field is not a number at all. "nan" and "inf" are numbers
// here, so a first line with a NaN rating is reported as such instead of silently skipped.
bool is_header(const Fields& fields, const DelimitedOptions& options) {
  if (options.header != HeaderMode::automatic) return options.header == HeaderMode::present;
  std::string_view rating = fields.field[static_cast<std::size_t>(options.rating_column)];
  if (rating.size() > 1 && rating[0] == '+' && rating[1] != '-') rating.remove_prefix(1);  // "+5" is a number
  double unused = 0.0;
  const auto [end, error] = std::from_chars(rating.data(), rating.data() + rating.size(), unused);
  const bool numeric = (error == std::errc() || error == std::errc::result_out_of_range) &&
                       end == rating.data() + rating.size() && !rating.empty();
  return !numeric;
}

void check_id(std::string_view id, const char* what, const std::string& path, std::size_t line) {
  if (id.empty()) throw DataError(path, line, std::string("empty ") + what + " id");
}

}  // namespace

DelimitedSpec delimited_spec(Format format, const DelimitedOptions& custom) {
  DelimitedSpec spec;
  switch (format) {
    case Format::ml_100k:
      spec.options.separator = "\t";
      spec.options.header = HeaderMode::absent;
      spec.max_fields = 4;
      return spec;
    case Format::ml_1m:
      spec.options.separator = "::";
      spec.options.header = HeaderMode::absent;
      spec.max_fields = 4;
      return spec;
    case Format::csv:
      spec.options.separator = ",";
      spec.options.header = HeaderMode::automatic;
      spec.max_fields = 4;
      return spec;
    default:
      spec.options = custom;
      return spec;
  }
}

namespace {

// The line loop. `expected_fields` is 0 until the first non-blank line fixes it (that line may be a
// header); a range after the first line is parsed with it given.
RangeCount parse_lines(LineReader& lines, const DelimitedSpec& spec, std::size_t& expected_fields, RecordSink& sink) {
  const DelimitedOptions& options = spec.options;
  const std::string& path = lines.path();
  Fields fields;
  std::string_view line;
  RangeCount count;
  while (lines.next(line)) {
    if (is_blank(line)) continue;
    split_fields(line, options.separator, fields);
    if (expected_fields == 0) {
      expected_fields = check_first_line_field_count(fields, spec, path, lines.number());
      if (is_header(fields, options)) continue;
    } else if (fields.count != expected_fields) {
      throw DataError(path, lines.number(), "expected " + std::to_string(expected_fields) + " fields separated by '" +
                                                options.separator + "', found " + std::to_string(fields.count));
    }
    const std::string_view user = fields.field[static_cast<std::size_t>(options.user_column)];
    const std::string_view item = fields.field[static_cast<std::size_t>(options.item_column)];
    check_id(user, "user", path, lines.number());
    check_id(item, "item", path, lines.number());
    const float rating = parse_rating(fields.field[static_cast<std::size_t>(options.rating_column)], path,
                                      lines.number());
    sink.add(user, item, rating, SourcePosition{&path, lines.number()});
    ++count.records;
  }
  count.lines = lines.number();
  return count;
}

}  // namespace

void check_has_records(const std::string& path, std::size_t records, std::size_t expected_fields) {
  if (records == 0) throw DataError(path, 0, expected_fields == 0 ? "empty file (no ratings)" : "no ratings after the header");
}

RangeCount parse_delimited_head(const std::string& path, const DelimitedSpec& spec, std::uint64_t end,
                                std::size_t& expected_fields, RecordSink& sink) {
  check_options(spec.options, path);
  LineReader lines(path, 0, end);
  expected_fields = 0;
  return parse_lines(lines, spec, expected_fields, sink);
}

RangeCount parse_delimited_range(const std::string& path, const DelimitedSpec& spec, std::uint64_t begin,
                                 std::uint64_t end, std::size_t expected_fields, RecordSink& sink) {
  check_options(spec.options, path);
  LineReader lines(path, begin, end);
  return parse_lines(lines, spec, expected_fields, sink);
}

std::size_t first_line_field_count(const std::string& path, const DelimitedSpec& spec, std::uint64_t end) {
  check_options(spec.options, path);
  LineReader lines(path, 0, end);
  Fields fields;
  std::string_view line;
  while (lines.next(line)) {
    if (is_blank(line)) continue;
    split_fields(line, spec.options.separator, fields);
    return check_first_line_field_count(fields, spec, path, lines.number());
  }
  return 0;
}

void parse_delimited(const std::string& path, const DelimitedSpec& spec, RecordSink& sink) {
  check_options(spec.options, path);
  LineReader lines(path);
  std::size_t expected_fields = 0;
  const std::size_t records = parse_lines(lines, spec, expected_fields, sink).records;
  check_has_records(path, records, expected_fields);  // after the parse: it sets expected_fields
}

}  // namespace autorec::detail
