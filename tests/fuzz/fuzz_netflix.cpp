// Netflix Prize files ("MovieID:" blocks of "CustomerID,Rating,Date" lines): ratings or a DataError.
#include "autorec/data/error.h"
#include "autorec/data/load.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  autorec::LoadOptions options;
  options.format = autorec::Format::netflix;
  options.duplicates = autorec::DuplicatePolicy::average;
  try {
    autorec::load_ratings(autorec::fuzz::input_file(data, size), options);
  } catch (const autorec::DataError&) {
  }
  return 0;
}
