// Config files (--config FILE: `key = value` lines) for `autorec train`: options or a UsageError.
#include "fuzz_file.h"
#include "option_table.h"
#include "usage_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const autorec::cli::CommandInfo* train = autorec::cli::find_command("train");
  try {
    const autorec::cli::Options options =
        autorec::cli::parse_options("train", train->options, {"--config", autorec::fuzz::input_file(data, size)});
    for (const autorec::cli::OptionSpec* spec : options.allowed()) (void)options.optional_text(spec->name);
  } catch (const autorec::cli::UsageError&) {
  }
  return 0;
}
