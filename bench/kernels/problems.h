// The benchmark problems: AutoRec shapes (items x users, item-based) with heavy-tailed rows.
#pragma once

#include <string>
#include <vector>

#include "synthetic_sparse.h"

namespace bench {

enum class RunSize { Quick, Default, Full };

struct Problem {
  std::string name;      // e.g. "ml-1m", "ml-10m@5%"
  PatternSpec pattern;
  std::vector<int> ks;   // hidden sizes to run
};

// The problem list for a device ("cpu" or "cuda"). Netflix-sized (100M nnz) runs on CUDA only.
std::vector<Problem> problem_set(RunSize size, const std::string& device);

}  // namespace bench
