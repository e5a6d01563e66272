// How many weight rows a mini-batch touches: for I-AutoRec a batch of items touches the users that
// rated any of them, and only those rows of V and W get a data gradient. This decides what the lazy
// update mode can save, and how much of the exact mode's per-batch optimizer pass is "L2 only".
#pragma once

#include <cstdint>

#include "engine/sparse_matrix.h"

namespace bench {

struct TouchedRows {
  std::int64_t batch_size = 0;
  std::int64_t batches = 0;
  double mean_fraction = 0.0;  // of the matrix's columns, over one shuffled epoch of batches
  double min_fraction = 0.0;
  double max_fraction = 0.0;
};

// Over one epoch of batches of `batch_size` rows in a seeded shuffled order (host computation).
TouchedRows touched_rows(const engine::SparseMatrix& train, std::int64_t batch_size, std::uint64_t seed);

}  // namespace bench
