// The delimited family (ml-100k, ml-1m, csv, generic delimited) and format detection: any bytes
// give ratings or a DataError, never a crash, a hang or another exception. The first byte picks the
// format, header mode and duplicate policy so that one corpus reaches every branch.
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
  try {
    autorec::load_ratings(path, options);
  } catch (const autorec::DataError&) {
  }
  return 0;
}
