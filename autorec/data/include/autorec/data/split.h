// The evaluation protocol's splits (DESIGN.md section 1). Every split returns train and test parts that
// share the input's id maps, so an index means the same user or item in both. A test rating whose user
// or item has no training rating is "cold start": the evaluator predicts the default for it (paper: 3)
// and reports how many there were.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "autorec/data/load.h"
#include "autorec/data/ratings.h"

namespace autorec {

struct Split {
  Ratings train;
  Ratings test;
  std::vector<bool> test_is_cold_start;  // (test.size()) user or item has no training rating
  std::size_t cold_start_count = 0;      // how many test_is_cold_start bits are set
};

// Seeded random holdout: exactly round(test_fraction * n) ratings go to test, each subset equally
// likely; both parts keep the input order. Default: the paper's 90/10.
Split random_holdout(const Ratings& ratings, double test_fraction = 0.1, std::uint64_t seed = 1);

// Validation split carved from a training set (default 10% of it). Seeded independently of the test
// split: the same seed number does not pick correlated positions.
Split validation_holdout(const Ratings& train, double validation_fraction = 0.1, std::uint64_t seed = 1);

// Fold `fold` (0 <= fold < n_folds) of a seeded K-fold split: the test part is that fold, the train part
// the other K-1. Over fold = 0..K-1 every rating is in test exactly once; fold sizes differ by at most 1.
Split k_fold(const Ratings& ratings, int n_folds, int fold, std::uint64_t seed = 1);

// Given train and test files (e.g. ML-100K u1.base / u1.test): the test file's ids are mapped through
// the train file's maps; ids seen only in test are appended to the shared maps and marked cold start.
Split split_from_files(const std::filesystem::path& train_path, const std::filesystem::path& test_path,
                       const LoadOptions& options = {});

// Marks the test ratings whose user or item has no rating in `train` (same id maps assumed).
std::vector<bool> mark_cold_start(const Ratings& train, const Ratings& test);

}  // namespace autorec
