// SparseMatrix: a rows x cols float matrix stored as CSR (by row) with a CSC twin (by column) that
// indexes the same CSR-ordered values. Products that own output rows of A use the CSR; those that
// own output rows of A^T (the transposed SpMM, column sums) use the CSC, so neither needs atomics.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/device_array.h"
#include "engine/tensor.h"

namespace engine {

// Row / column ids and nonzero positions (the kernels use the same widths; engine/src checks).
using index_t = std::int32_t;
using offset_t = std::int64_t;

// The CSR arrays of a SparseMatrix, on its device (read-only views; the matrix owns them).
struct CsrView {
  index_t rows = 0;
  index_t cols = 0;
  offset_t nnz = 0;
  const offset_t* offsets = nullptr;  // (rows + 1)
  const index_t* indices = nullptr;   // (nnz) column of each nonzero, sorted within a row
};

// The CSC twin: the row indices of column j are row_indices[offsets[j] .. offsets[j+1]), sorted, and
// csr_positions maps each entry to the position of its value in the CSR-ordered value array.
struct CscView {
  index_t rows = 0;
  index_t cols = 0;
  offset_t nnz = 0;
  const offset_t* offsets = nullptr;        // (cols + 1)
  const index_t* row_indices = nullptr;     // (nnz)
  const offset_t* csr_positions = nullptr;  // (nnz)
};

// What to do when the same (row, col) appears more than once in the input triplets.
enum class DuplicatePolicy { Error, KeepLast, KeepFirst, Average };

// Triplets in any order. Rows and columns are 0-based.
struct CooTriplets {
  std::vector<index_t> rows;
  std::vector<index_t> cols;
  std::vector<float> values;
};

class SparseMatrix {
 public:
  SparseMatrix() = default;

  // Builds CSR and CSC on the host, then places them on `device`. Throws engine::Error naming the
  // offending triplet for an index out of [0, rows) x [0, cols), a non-finite value, arrays of
  // different lengths, or (policy Error) a duplicate (row, col).
  static SparseMatrix from_coo(index_t rows, index_t cols, const CooTriplets& triplets,
                               DuplicatePolicy duplicates = DuplicatePolicy::Error, Device device = Device::cpu());
  // The same from three parallel arrays (no copy of them is made): a counting sort by row straight
  // into the matrix's own arrays, rows sorted by column only where they are not already, the CSC twin
  // by a parallel counting sort. Holds 8 bytes per triplet beyond the input while it runs.
  static SparseMatrix from_coo(index_t rows, index_t cols, std::span<const index_t> row_ids,
                               std::span<const index_t> col_ids, std::span<const float> values,
                               DuplicatePolicy duplicates = DuplicatePolicy::Error, Device device = Device::cpu());
  // From a ready CSR (offsets, sorted column indices without duplicates, values): validated.
  static SparseMatrix from_csr(index_t rows, index_t cols, std::vector<offset_t> offsets,
                               std::vector<index_t> indices, std::vector<float> values,
                               Device device = Device::cpu());

  Device device() const { return csr_offsets_.device(); }
  index_t rows() const { return rows_; }
  index_t cols() const { return cols_; }
  offset_t nnz() const { return nnz_; }
  std::string shape() const;  // "(rows, cols; nnz=N)"

  CsrView csr() const;
  CscView csc() const;
  const float* values() const { return values_.data(); }
  float* values() { return values_.data(); }
  // The values as a (1, nnz) view, so that flat arrays flow through the same ops as dense tensors.
  ConstTensorView values_view() const;
  TensorView values_view();

  // The matrix made of the given rows, in the given order, on the same device, with the ids checked.
  // Built on the host: for a device matrix the whole CSR is staged through the host on every call.
  // Training forms its mini-batches on the device instead (assign_gathered_rows, engine::RowBatches).
  SparseMatrix slice_rows(std::span<const index_t> rows) const;
  // Makes this matrix the rows rows[0, count) of `source` (a mini-batch), CSR and CSC twin, formed on
  // source's device by kernels: no host work, no synchronisation. `rows` is device memory there (e.g. a
  // slice of an epoch's order) holding valid row ids; `nnz` is the rows' nonzero count, which the caller
  // knows from the row lengths (so that nothing is read back). Buffers are reused when large enough.
  void assign_gathered_rows(const SparseMatrix& source, const index_t* rows, index_t count, offset_t nnz);
  SparseMatrix to(Device device) const;

  // Host copies of the CSR arrays (for tests, checkpoints, debugging).
  std::vector<offset_t> csr_offsets_host() const { return csr_offsets_.to_host(std::int64_t{rows_} + 1); }
  std::vector<index_t> csr_indices_host() const { return csr_indices_.to_host(nnz_); }
  std::vector<float> values_host() const { return values_.to_host(nnz_); }

 private:
  // Takes a validated host CSR, builds the CSC twin and uploads all of it.
  SparseMatrix(index_t rows, index_t cols, const std::vector<offset_t>& offsets, const std::vector<index_t>& indices,
               const std::vector<float>& values, Device device);
  // The same from a validated CSR already in CPU memory (taken over, not copied, when device is the CPU).
  static SparseMatrix assemble(index_t rows, index_t cols, DeviceArray<offset_t> offsets, DeviceArray<index_t> indices,
                               DeviceArray<float> values, Device device);

  index_t rows_ = 0;
  index_t cols_ = 0;
  offset_t nnz_ = 0;  // the arrays may be larger (reused batch buffers): they hold capacity
  DeviceArray<offset_t> csr_offsets_;  // (rows + 1)
  DeviceArray<index_t> csr_indices_;   // (nnz)
  DeviceArray<float> values_;          // (nnz), CSR order
  DeviceArray<offset_t> csc_offsets_;  // (cols + 1)
  DeviceArray<index_t> csc_rows_;      // (nnz)
  DeviceArray<offset_t> csc_positions_;  // (nnz) CSR position of each CSC entry
  DeviceArray<offset_t> csc_scratch_;    // the device CSC build's working space (gathered batches only)
};

}  // namespace engine
