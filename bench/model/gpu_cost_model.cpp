#include "gpu_cost_model.h"

#include "block_makespan.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace bench {
namespace {

using namespace geometry;

// Host slicing of the previous step: measured on the 2-core development machine (0.30 s for the 9 M
// ratings of an ML-10M epoch: building each batch's CSR and CSC twin and allocating it).
constexpr double kHostSliceSecondsPerRating = 33e-9;
constexpr double kCopySeconds = 10e-6;  // fixed cost of one synchronous cudaMemcpy

// Ops accumulated over the batches, in first-seen order.
class Ledger {
 public:
  OpCost& op(const std::string& name) {
    for (OpCost& o : ops_) {
      if (o.name == name) return o;
    }
    ops_.push_back({name});
    return ops_.back();
  }
  // A kernel that streams `bytes` from device memory (balanced over the SMs).
  void stream(const std::string& name, const GpuSpec& gpu, double launches, double compulsory, double design,
              double flops = 0.0) {
    add(name, gpu, launches, compulsory, design, flops, design / gpu.dram_bytes_per_second);
  }
  void add(const std::string& name, const GpuSpec& gpu, double launches, double compulsory, double design,
           double flops, double seconds) {
    OpCost& o = op(name);
    o.launches += launches;
    o.compulsory_bytes += compulsory;
    o.design_bytes += design;
    o.flops += flops;
    o.seconds += seconds + launches * gpu.launch_seconds;
  }
  StepCost take(std::string formulation) { return {std::move(formulation), std::move(ops_)}; }

 private:
  std::vector<OpCost> ops_;
};

struct Batch {
  std::int64_t rows = 0, nnz = 0, touched = 0, segments = 0;
  const std::vector<std::int64_t>* lengths = nullptr;
};

Batch describe(const EpochShape& shape, std::size_t b) {
  Batch batch;
  batch.lengths = &shape.batch_row_lengths[b];
  batch.rows = static_cast<std::int64_t>(batch.lengths->size());
  for (const std::int64_t length : *batch.lengths) {
    batch.nnz += length;
    batch.segments += (length + kSegment - 1) / kSegment;
  }
  batch.touched = shape.batch_touched_users[b];
  return batch;
}

// An SpMM over the batch's rows gathering rows of an (n x kp) table of `element` bytes per entry.
void sparse_rows_product(Ledger& ledger, const std::string& name, const GpuSpec& gpu, const EpochShape& shape,
                         const Batch& batch, double table_rows, bool split, double element = kFloat) {
  const std::int64_t kp = padded(shape.k);
  const double bandwidth = gather_bandwidth(gpu, table_rows * kp * element);
  const double design = batch.nnz * (kp * element + 2 * (kIndex + kFloat)) + batch.rows * kp * kFloat;
  const double compulsory = batch.touched * shape.k * element + batch.nnz * (kIndex + kFloat) + batch.rows * shape.k * kFloat;
  ledger.add(name, gpu, split ? 4 : 1, compulsory, design, 2.0 * batch.nnz * shape.k,
             makespan(sparse_rows_blocks(*batch.lengths, shape.k, split, kIndex + kFloat, element), gpu, bandwidth));
}

}  // namespace

double StepCost::seconds() const {
  double total = 0.0;
  for (const OpCost& op : ops) total += op.seconds;
  return total;
}

EpochShape epoch_shape(const std::string& dataset, const engine::SparseMatrix& train, std::int64_t k,
                       std::int64_t batch_size, std::uint64_t seed) {
  EpochShape shape;
  shape.dataset = dataset;
  shape.items = train.rows();
  shape.users = train.cols();
  shape.nnz = train.nnz();
  shape.k = k;
  shape.batch_size = batch_size;
  const std::vector<engine::offset_t> offsets = train.csr_offsets_host();
  const std::vector<engine::index_t> indices = train.csr_indices_host();
  std::vector<engine::index_t> order(static_cast<std::size_t>(train.rows()));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
  std::vector<std::int64_t> stamp(static_cast<std::size_t>(train.cols()), -1);
  for (std::size_t first = 0; first < order.size(); first += static_cast<std::size_t>(batch_size)) {
    const auto b = static_cast<std::int64_t>(shape.batch_row_lengths.size());
    std::vector<std::int64_t> lengths;
    std::int64_t touched = 0;
    for (std::size_t r = first; r < std::min(order.size(), first + static_cast<std::size_t>(batch_size)); ++r) {
      const auto row = static_cast<std::size_t>(order[r]);
      lengths.push_back(offsets[row + 1] - offsets[row]);
      for (auto p = offsets[row]; p < offsets[row + 1]; ++p) {
        std::int64_t& mark = stamp[static_cast<std::size_t>(indices[static_cast<std::size_t>(p)])];
        if (mark != b) {
          mark = b;
          ++touched;
        }
      }
    }
    shape.batch_row_lengths.push_back(std::move(lengths));
    shape.batch_touched_users.push_back(touched);
  }
  return shape;
}

StepCost model_fused_step(const GpuSpec& gpu, const EpochShape& shape, bool lazy, bool bf16_tables) {
  Ledger ledger;
  const double table = bf16_tables ? kBf16 : kFloat;  // bytes per gathered element of V and W
  const double n = static_cast<double>(shape.users);
  const std::int64_t kp = padded(shape.k);
  const double k = static_cast<double>(shape.k);
  for (std::size_t b = 0; b < shape.batch_row_lengths.size(); ++b) {
    const Batch batch = describe(shape, b);
    const double nnz = static_cast<double>(batch.nnz);
    const double rows = static_cast<double>(batch.rows);
    // Gather the rows (scan + copy) and build the CSC (zero, count, three scan kernels, scatter, sort).
    const double csr_csc = nnz * (kIndex + kFloat + kIndex + kOffset) + (rows + n + 2) * kOffset;
    ledger.stream("form batch on the device", gpu, 9, csr_csc,
                  csr_csc + nnz * (kIndex + kFloat) + 5 * n * kOffset + nnz * (kIndex + kOffset) +
                      2 * nnz * (kIndex + kOffset));
    sparse_rows_product(ledger, "spmm X.V (long rows split)", gpu, shape, batch, n, true, table);
    ledger.stream("bias + activation", gpu, 1, 2 * rows * k * kFloat, 3 * rows * kp * kFloat);
    // Fused output layer: W rows once per nonzero, H once per segment, partials written and read back.
    const double w_gathers = nnz * kp * table;
    const double rest = static_cast<double>(batch.segments) * kp * kFloat * 3 + nnz * 4 * kFloat + rows * kp * kFloat;
    ledger.add("output layer: loss + dH = E.W (fused)", gpu, 3,
               batch.touched * k * table + 2 * rows * k * kFloat + 3 * nnz * kFloat, w_gathers + rest, 4.0 * nnz * k,
               w_gathers / gather_bandwidth(gpu, n * kp * table) + rest / gpu.dram_bytes_per_second);
    // Each weight row of W and V: its Adam step (read and write w, m, v) with the gradient formed inside.
    const double stepped_rows = lazy ? static_cast<double>(batch.touched) : n;
    for (const char* name : {"W: dW = E^T.H + Adam (fused)", "V: dV = X^T.dZ + Adam (fused)"}) {
      // (bf16 tables: the epilogue also writes each stepped weight's bf16 copy.)
      const double state = stepped_rows * kp * (6 * kFloat + (bf16_tables ? kBf16 : 0.0));
      const double gathers = nnz * kp * kFloat;  // rows of H or dZ: the batch's, L2-resident
      const double csc = nnz * (kIndex + kOffset + kFloat) + (n + 1) * kOffset;
      ledger.add(name, gpu, 1,
                 stepped_rows * k * (6 * kFloat + (bf16_tables ? kBf16 : 0.0)) + rows * k * kFloat + nnz * (kIndex + kFloat),
                 state + gathers + csc, 2.0 * nnz * k,
                 (state + csc) / gpu.dram_bytes_per_second + gathers / gpu.l2_bytes_per_second);
    }
    ledger.stream("activation backward", gpu, 1, 3 * rows * k * kFloat, 3 * rows * kp * kFloat);
    ledger.stream("biases: column sums + Adam", gpu, 4, n * 7 * kFloat + nnz * kFloat,
                  n * (kOffset + 8 * kFloat) + nnz * (kOffset + kFloat) + rows * kp * kFloat);
  }
  std::string name = lazy ? "fused step, lazy" : "fused step";
  return ledger.take(name + (bf16_tables ? ", bf16 tables" : "") + " (this project)");
}

StepCost model_previous_step(const GpuSpec& gpu, const EpochShape& shape) {
  Ledger ledger;
  const double n = static_cast<double>(shape.users);
  const std::int64_t kp = padded(shape.k);
  const double k = static_cast<double>(shape.k);
  const double parameters = 2 * n * kp + n + kp;
  for (std::size_t b = 0; b < shape.batch_row_lengths.size(); ++b) {
    const Batch batch = describe(shape, b);
    const double nnz = static_cast<double>(batch.nnz);
    const double rows = static_cast<double>(batch.rows);
    const double uploaded = nnz * (kIndex + kFloat + kIndex + kOffset) + (rows + n + 2) * kOffset;
    ledger.add("host slice + synchronous upload", gpu, 0, uploaded, uploaded, 0.0,
               nnz * kHostSliceSecondsPerRating + uploaded / gpu.pcie_bytes_per_second + 6 * kCopySeconds);
    ledger.stream("zero all gradients", gpu, 1, 0, parameters * kFloat);
    sparse_rows_product(ledger, "spmm X.V", gpu, shape, batch, n, false);
    ledger.stream("bias + activation", gpu, 1, 2 * rows * k * kFloat, 3 * rows * kp * kFloat);
    const double w_gathers = nnz * kp * kFloat;
    ledger.add("sddmm + loss", gpu, 1, batch.touched * k * kFloat + 3 * nnz * kFloat, w_gathers + 4 * nnz * kFloat,
               2.0 * nnz * k,
               w_gathers / gather_bandwidth(gpu, n * kp * kFloat) + 4 * nnz * kFloat / gpu.dram_bytes_per_second);
    // The transposed products blend with beta = 1: every output row is read and written, touched or not.
    for (const char* name : {"dW += E^T.H (read-modify-write)", "dV += X^T.dZ (read-modify-write)"}) {
      const double rmw = 2 * n * kp * kFloat;
      const double gathers = nnz * kp * kFloat;
      ledger.add(name, gpu, 1, batch.touched * k * kFloat, rmw + gathers + nnz * (kIndex + kOffset + kFloat), 2.0 * nnz * k,
                 (rmw + nnz * (kIndex + kOffset + kFloat)) / gpu.dram_bytes_per_second +
                     gathers / gpu.l2_bytes_per_second);
    }
    sparse_rows_product(ledger, "spmm dH = E.W", gpu, shape, batch, n, false);
    ledger.stream("activation backward", gpu, 1, 3 * rows * k * kFloat, 3 * rows * kp * kFloat);
    ledger.stream("bias gradients", gpu, 2, n * kFloat + nnz * kFloat, 2 * n * kFloat + nnz * (kOffset + kFloat));
    ledger.stream("Adam over all weights", gpu, 2, 7 * parameters * kFloat, 7 * parameters * kFloat);
  }
  return ledger.take("previous step");
}

StepCost model_dense_step(const GpuSpec& gpu, const EpochShape& shape) {
  Ledger ledger;
  const double n = static_cast<double>(shape.users);
  const double k = static_cast<double>(shape.k);
  const double weights = 2 * n * k + n + k;
  for (std::size_t b = 0; b < shape.batch_row_lengths.size(); ++b) {
    const double rows = static_cast<double>(shape.batch_row_lengths[b].size());
    const double dense = rows * n * kFloat;
    ledger.stream("dense batch rows + mask", gpu, 2, dense, 2 * dense + rows * n);
    const double gemm_flops = 2 * rows * n * k;
    ledger.add("encoder + decoder GEMMs", gpu, 4, 0, 2 * dense, 2 * gemm_flops, 2 * gemm_flops / gpu.sgemm_flops_per_second);
    ledger.stream("masked MSE and its gradient", gpu, 6, 2 * dense, 6 * dense);
    ledger.add("backward GEMMs (dW, dH, dV)", gpu, 3, 0, 3 * dense, 3 * gemm_flops,
               3 * gemm_flops / gpu.sgemm_flops_per_second);
    ledger.stream("Adam over all weights", gpu, 6, 7 * weights * kFloat, 8 * weights * kFloat);
  }
  return ledger.take("dense (PyTorch ports)");
}

}  // namespace bench
