// A cost model of an I-AutoRec training epoch on a GPU (H100, A100): for every op, the launches, the
// bytes it must move (compulsory), the bytes its kernel's design moves (gathers, re-reads,
// read-modify-writes, padding), the flops, and a modeled time from a block-level makespan: the kernel's
// real grid with each block's work computed from the data's actual batches, blocks dealt in grid order to
// the least loaded SM, every SM streaming at its share of the device bandwidth (from L2 when the gathered
// table fits there), plus a fixed cost per launch. Three formulations: the fused step this project runs,
// the step it replaced, and the dense formulation of the usual PyTorch ports. The formulas, constants and
// their sources are in docs/benchmarks.md; the model is to be calibrated against GPU measurements, its
// error published.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/sparse_matrix.h"
#include "gpu_spec.h"

namespace bench {

struct OpCost {
  std::string name;
  double launches = 0.0;
  double compulsory_bytes = 0.0;
  double design_bytes = 0.0;
  double flops = 0.0;
  double seconds = 0.0;
};

struct StepCost {
  std::string formulation;  // "fused (this project)", "previous step", "dense (PyTorch ports)"
  std::vector<OpCost> ops;  // summed over the epoch's batches
  double seconds() const;
};

// One epoch's batches of I-AutoRec: items x users, hidden k, the row lengths of each batch in a seeded
// shuffled order, and how many users each batch touches.
struct EpochShape {
  std::string dataset;
  std::int64_t items = 0, users = 0, nnz = 0, k = 0, batch_size = 0;
  std::vector<std::vector<std::int64_t>> batch_row_lengths;
  std::vector<std::int64_t> batch_touched_users;
};
EpochShape epoch_shape(const std::string& dataset, const engine::SparseMatrix& train, std::int64_t k,
                       std::int64_t batch_size, std::uint64_t seed);

// bf16_tables: `--precision bf16`, the gathers of V and W read bf16 tables (2 bytes per element) and the
// fused updates also write each stepped weight's bf16 copy.
StepCost model_fused_step(const GpuSpec& gpu, const EpochShape& shape, bool lazy, bool bf16_tables = false);
StepCost model_previous_step(const GpuSpec& gpu, const EpochShape& shape);
StepCost model_dense_step(const GpuSpec& gpu, const EpochShape& shape);

}  // namespace bench
