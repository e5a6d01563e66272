// The delimited family (ml-100k, ml-1m, csv, generic delimited) and format detection: any bytes
// give ratings or a DataError, never a crash, a hang or another exception. The first byte picks the
// format, header mode and duplicate policy so that one corpus reaches every branch. Every input is
// also parsed in byte ranges (the parallel loader) and must give exactly the same outcome.
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "autorec/data/error.h"
#include "autorec/data/load.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t choice = data[0];
  autorec::LoadOptions options;
  constexpr autorec::Format formats[] = {autorec::Format::automatic, autorec::Format::ml_100k, autorec::Format::ml_1m,
                                         autorec::Format::csv, autorec::Format::delimited};
  options.format = formats[choice % 5];
  options.delimited.header = static_cast<autorec::HeaderMode>((choice / 5) % 3);
  options.duplicates = static_cast<autorec::DuplicatePolicy>((choice / 15) % 4);
  options.delimited.separator = (choice & 0x80) ? "::" : ",";
  const std::string path = autorec::fuzz::input_file(data + 1, size - 1);
  // Differential: the parse in byte ranges (tiny ones here, 2 to 4 of them) must give the sequential
  // parse's ratings or its error message exactly.
  std::string sequential_error, ranges_error;
  std::optional<autorec::Ratings> sequential, ranges;
  try {
    sequential = autorec::load_ratings(path, options);
  } catch (const autorec::DataError& error) {
    sequential_error = error.what();
  }
  options.parallel_ranges = 2 + choice % 3;
  options.parallel_range_bytes = 1 + (size % 61);
  try {
    ranges = autorec::load_ratings(path, options);
  } catch (const autorec::DataError& error) {
    ranges_error = error.what();
  }
  if (sequential_error != ranges_error || sequential.has_value() != ranges.has_value() ||
      (sequential && !(*sequential == *ranges))) {
    std::fprintf(stderr, "parse in ranges differs from the sequential parse:\n  '%s'\n  '%s'\n",
                 sequential_error.c_str(), ranges_error.c_str());
    std::abort();
  }
  return 0;
}
