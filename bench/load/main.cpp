// bench_load: the time and memory `autorec train --data FILE` spends before its first epoch, phase by
// phase: parse the file (or read its binary cache), split it (90/10 test holdout, then 10 % of the
// training part for validation, as the CLI does) and build the training matrix (CSR + CSC twin,
// I-AutoRec orientation). Everything the CLI keeps alive at that point stays alive here, so the peak
// RSS printed is the data's share of a training run. Issue 8's target: a 100 M-rating file in <= 15 s
// on 2 cores (a second run may use the cache).
//
//   bench_load --csv FILE [--cache auto|PATH]
//   bench_load --ratings N [--users U] [--items I] [--dir DIR]   writes a synthetic csv, measures, deletes it
#include <omp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

#include "autorec/data/cache.h"
#include "autorec/data/load.h"
#include "autorec/data/split.h"
#include "autorec/data/synthetic.h"
#include "autorec/evaluate.h"
#include "flags.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double gib(double bytes) { return bytes / (1024.0 * 1024.0 * 1024.0); }

double peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;
}

// User + system CPU seconds of this process: on a shared machine the fairer figure than wall time.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double current_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five;
  in >> one >> five;
  return one + " (1 min), " + five + " (5 min)";
}

class PhaseTable {
 public:
  PhaseTable() {
    std::printf("%-34s %9s %9s %9s %9s\n", "phase", "wall s", "CPU s", "RSS GiB", "peak GiB");
  }
  void done(const std::string& name) {
    const auto now = Clock::now();
    const double cpu = cpu_seconds();
    std::printf("%-34s %9.2f %9.2f %9.2f %9.2f\n", name.c_str(), std::chrono::duration<double>(now - last_).count(),
                cpu - last_cpu_, gib(current_rss_bytes()), gib(peak_rss_bytes()));
    std::fflush(stdout);
    last_ = now;
    last_cpu_ = cpu;
  }
  double total_seconds() const { return std::chrono::duration<double>(last_ - start_).count(); }
  double total_cpu_seconds() const { return last_cpu_ - start_cpu_; }

 private:
  Clock::time_point start_ = Clock::now(), last_ = start_;
  double start_cpu_ = cpu_seconds(), last_cpu_ = start_cpu_;
};

// What `autorec train --cache` does: a cache whose fingerprint matches is read, otherwise the file is
// parsed and the cache (re)written.
autorec::Ratings load(const fs::path& csv, const std::optional<fs::path>& cache, PhaseTable& table) {
  const autorec::LoadOptions options;
  if (!cache) {
    autorec::Ratings ratings = autorec::load_ratings(csv, options);
    table.done("parse");
    return ratings;
  }
  const std::uint64_t fingerprint = autorec::data_fingerprint(csv, options);
  table.done("fingerprint (hash of the file)");
  if (fs::exists(*cache) && autorec::ratings_cache_fingerprint(*cache) == fingerprint) {
    autorec::Ratings ratings = autorec::load_ratings_cache(*cache);
    table.done("read cache " + cache->filename().string());
    return ratings;
  }
  autorec::Ratings ratings = autorec::load_ratings(csv, options);
  table.done("parse (no fresh cache)");
  autorec::save_ratings_cache(ratings, *cache, fingerprint);
  table.done("write cache");
  return ratings;
}

const char* const kUsage =
    "usage: bench_load --csv FILE [--cache auto|PATH]\n"
    "       bench_load --ratings N [--users U] [--items I] [--dir DIR] [--keep]\n"
    "  --csv FILE     measure loading this rating file (its format detected as autorec train does)\n"
    "  --cache C      read (or first write) the binary cache: auto = FILE.arcache, or a path\n"
    "  --ratings N    write a synthetic csv of N ratings (Netflix's shape unless --users / --items say\n"
    "                 otherwise) in DIR (default: the temporary folder), measure it, then delete it\n"
    "  --keep         keep the generated csv\n";

}  // namespace

int main(int argc, char** argv) {
  try {
    const bench::Flags flags(argc, argv, {"keep", "help"}, {"csv", "cache", "ratings", "users", "items", "dir"});
    if (flags.has("help")) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    fs::path csv;
    bool generated = false;
    if (flags.has("csv")) {
      csv = flags.text("csv", "");
    } else if (flags.has("ratings")) {
      autorec::SynthOptions synth;  // Netflix's shape unless told otherwise
      synth.n_ratings = flags.integer("ratings", 0);
      synth.n_users = flags.integer("users", 480189);
      synth.n_items = flags.integer("items", 17770);
      csv = fs::path(flags.text("dir", fs::temp_directory_path().string())) /
            ("bench_load_" + std::to_string(getpid()) + ".csv");
      const auto start = Clock::now();
      autorec::stream_ratings(synth, csv, autorec::SynthFileFormat::csv);
      generated = !flags.has("keep");
      std::printf("wrote %s in %.1f s\n", csv.c_str(), std::chrono::duration<double>(Clock::now() - start).count());
    } else {
      throw std::invalid_argument("give --csv FILE or --ratings N");
    }
    std::optional<fs::path> cache;
    if (flags.has("cache")) {
      const std::string text = flags.text("cache", "auto");
      cache = text == "auto" ? fs::path(csv.string() + ".arcache") : fs::path(text);
    }
    std::printf("bench_load: %s (%.1f MB), %d OpenMP threads, load average %s\n", csv.c_str(),
                static_cast<double>(fs::file_size(csv)) / 1e6, omp_get_max_threads(), load_average().c_str());

    PhaseTable table;
    const autorec::Ratings all = load(csv, cache, table);
    const autorec::Split test_split = autorec::random_holdout(all, 0.1, 1);
    const autorec::Split validation_split = autorec::validation_holdout(test_split.train, 0.1, 1);
    table.done("split (test, then validation)");
    const engine::SparseMatrix fit_rows = autorec::to_matrix(validation_split.train, autorec::Orientation::ItemBased);
    table.done("training matrix (CSR + CSC)");
    std::printf("%zu ratings, %d users, %d items; training matrix %s\n", all.size(), all.n_users(), all.n_items(),
                fit_rows.shape().c_str());
    std::printf("load to first epoch: %.2f s wall, %.2f CPU s, peak RSS %.2f GiB (issue 8: <= 15 s on 2 cores)\n",
                table.total_seconds(), table.total_cpu_seconds(), gib(peak_rss_bytes()));
    std::printf("load average now %s\n", load_average().c_str());
    if (generated) fs::remove(csv);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bench_load: %s\n%s", error.what(), kUsage);
    return 1;
  }
}
