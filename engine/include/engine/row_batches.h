// Mini-batches of a matrix's rows formed on the matrix's own device: the matrix is resident (uploaded
// once), an epoch's row order is uploaded once, and each batch (CSR + CSC twin) is gathered there by
// kernels into reused buffers. Per batch the host only launches work: no slicing, no copies, no
// synchronisation. The host keeps the row offsets (rows + 1 numbers) to know each batch's size.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/device_array.h"
#include "engine/sparse_matrix.h"

namespace engine {

class RowBatches {
 public:
  // `matrix` must outlive this object; batches live on its device.
  explicit RowBatches(const SparseMatrix& matrix);

  // The row order of the batches that follow (e.g. an epoch's permutation); ids are checked here.
  void set_order(std::span<const index_t> order);
  // The rows order[first, first + count) as one matrix; valid until the next call.
  const SparseMatrix& batch(std::int64_t first, index_t count);

 private:
  const SparseMatrix& matrix_;
  std::vector<offset_t> row_offsets_;  // host copy of the matrix's CSR offsets
  std::vector<index_t> order_;         // host copy of the order (for the batch sizes)
  DeviceArray<index_t> device_order_;
  SparseMatrix batch_;
};

}  // namespace engine
