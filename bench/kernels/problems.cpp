#include "problems.h"

#include <cmath>
#include <cstdint>

namespace bench {
namespace {

// Zipf exponent of the row lengths. 0.9 over 3706 rows, capped at half the columns, gives ML-1M's
// item popularity closely: longest row 3020 (real: 3428), mean 270, median 122 (real: 124).
constexpr double kRowZipf = 0.9;

Problem shape(const std::string& name, int rows, int cols, std::int64_t nnz, std::vector<int> ks) {
  return {name, PatternSpec{rows, cols, nnz, kRowZipf, 0.5, 1}, std::move(ks)};
}

// ML-10M's shape at another density (the sweep over 0.1% .. 5%).
Problem ml10m_at(double density, std::vector<int> ks) {
  const auto nnz = static_cast<std::int64_t>(std::llround(density * 10677.0 * 69878.0));
  const std::string percent = density < 0.01 ? "0.1%" : std::to_string(static_cast<int>(density * 100)) + "%";
  return shape("ml-10m@" + percent, 10677, 69878, nnz, std::move(ks));
}

}  // namespace

std::vector<Problem> problem_set(RunSize size, const std::string& device) {
  const Problem ml1m_all = shape("ml-1m", 3706, 6040, 1000209, {64, 128, 256, 500, 512});
  const Problem ml10m = shape("ml-10m", 10677, 69878, 10000054, {128, 500});
  const Problem netflix = shape("netflix", 17770, 480189, 100480507, {128, 500});
  if (size == RunSize::Quick) return {shape("ml-1m", 3706, 6040, 1000209, {64})};
  if (device == "cpu") {
    if (size == RunSize::Default) return {shape("ml-1m", 3706, 6040, 1000209, {128, 500})};
    return {ml1m_all, ml10m, ml10m_at(0.001, {128}), ml10m_at(0.05, {128})};
  }
  if (size == RunSize::Default) return {ml1m_all, ml10m, netflix, ml10m_at(0.001, {128}), ml10m_at(0.05, {128})};
  Problem netflix_all = netflix;
  netflix_all.ks = {64, 128, 256, 500, 512};
  Problem ml10m_all = ml10m;
  ml10m_all.ks = netflix_all.ks;
  return {ml1m_all, ml10m_all, netflix_all, ml10m_at(0.001, {128, 500}), ml10m_at(0.01, {128, 500}),
          ml10m_at(0.05, {128, 500})};
}

}  // namespace bench
