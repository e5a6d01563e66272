// parse_speed: throughput of load_ratings() in MB/s.
//
//   parse_speed --file PATH [--format NAME] [--repeat N]
//   parse_speed [--synthetic-mb M] [--synthetic-format csv|ml-1m] [--repeat N]
//
// Without --file it writes a synthetic file of about M MB (default 100) to the temp directory, times
// loading it, and removes it. Prints the median and best of N loads (default 5) after one warm-up load
// (so the file is in the page cache: this measures parsing, not the disk).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <time.h>
#include <unistd.h>
#include <vector>

#include "autorec/data/load.h"
#include "autorec/data/synthetic.h"

namespace {

namespace fs = std::filesystem;

struct Arguments {
  std::string file;
  autorec::LoadOptions load;
  int repeat = 5;
  double synthetic_mb = 100.0;
  autorec::SynthFileFormat synthetic_format = autorec::SynthFileFormat::csv;
};

Arguments parse_arguments(int argc, char** argv) {
  Arguments args;
  for (int k = 1; k < argc; ++k) {
    const std::string flag = argv[k];
    if (k + 1 >= argc) throw std::invalid_argument("missing value after " + flag);
    const std::string value = argv[++k];
    if (flag == "--file") args.file = value;
    else if (flag == "--format") args.load.format = autorec::parse_format(value);
    else if (flag == "--repeat") args.repeat = std::max(1, std::stoi(value));
    else if (flag == "--synthetic-mb") args.synthetic_mb = std::stod(value);
    else if (flag == "--synthetic-format")
      args.synthetic_format = value == "ml-1m" ? autorec::SynthFileFormat::ml_1m : autorec::SynthFileFormat::csv;
    else throw std::invalid_argument("unknown flag " + flag);
  }
  return args;
}

// A synthetic file of about `megabytes` MB: csv lines average ~13 bytes at these id sizes.
fs::path write_synthetic_file(double megabytes, autorec::SynthFileFormat format) {
  autorec::SynthOptions options;
  options.n_ratings = static_cast<std::int64_t>(megabytes * 1e6 / (format == autorec::SynthFileFormat::csv ? 13 : 15));
  options.n_users = std::max<std::int64_t>(1, options.n_ratings / 150);
  options.n_items = std::max<std::int64_t>(3706, options.n_users / 3);
  const fs::path path = fs::temp_directory_path() / ("parse_speed_" + std::to_string(::getpid()) + ".txt");
  std::printf("writing %lld synthetic ratings to %s\n", static_cast<long long>(options.n_ratings), path.c_str());
  autorec::stream_ratings(options, path, format);
  return path;
}

double process_cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

void time_loads(const fs::path& path, const Arguments& args) {
  const double megabytes = static_cast<double>(fs::file_size(path)) / 1e6;
  const autorec::Ratings warm = autorec::load_ratings(path, args.load);  // page cache warm-up
  std::vector<double> seconds, cpu_seconds;
  for (int k = 0; k < args.repeat; ++k) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = process_cpu_seconds();
    const autorec::Ratings ratings = autorec::load_ratings(path, args.load);
    cpu_seconds.push_back(process_cpu_seconds() - cpu_start);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  std::sort(cpu_seconds.begin(), cpu_seconds.end());
  const double median = seconds[seconds.size() / 2];
  const double cpu_median = cpu_seconds[cpu_seconds.size() / 2];
  std::printf("%s: %.1f MB, %zu ratings, %d users, %d items\n", path.c_str(), megabytes, warm.size(), warm.n_users(),
              warm.n_items());
  std::printf("load_ratings (1 thread, %d runs): median %.4f s = %.0f MB/s, best %.4f s = %.0f MB/s\n", args.repeat,
              median, megabytes / median, seconds.front(), megabytes / seconds.front());
  // CPU time is what "MB/s per core" means, and it is less disturbed by other jobs on a shared machine.
  std::printf("per CPU second: median %.0f MB/s\n", megabytes / cpu_median);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Arguments args = parse_arguments(argc, argv);
    if (!args.file.empty()) {
      time_loads(args.file, args);
      return 0;
    }
    const fs::path path = write_synthetic_file(args.synthetic_mb, args.synthetic_format);
    try {
      time_loads(path, args);
    } catch (...) {
      fs::remove(path);
      throw;
    }
    fs::remove(path);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "parse_speed: %s\n", error.what());
    return 1;
  }
}
