// A bf16 table (`--precision bf16`): the read-only bfloat16 copy of a parameter's fp32 weights that the
// gathering kernels read (ops::spmm, ops::sddmm_squared_error_backprop), half the bytes per gathered row.
// ParameterStore owns the copies and keeps them current (ParameterStore::bf16_copy); this is a view.
#pragma once

#include <cstdint>
#include <string>

#include "engine/device.h"
#include "engine/matrix_view.h"

namespace engine {

// A bfloat16 number as stored in a table: its 16 bits (the top half of the fp32 bit pattern). Only a
// storage type: the rounding and widening live in the kernels, which read the same bits.
struct bfloat16 {
  std::uint16_t bits;
};

class Bf16TableView {
 public:
  Bf16TableView() = default;
  Bf16TableView(Device device, MatrixView<const bfloat16> matrix) : device_(device), matrix_(matrix) {}

  Device device() const { return device_; }
  std::int64_t rows() const { return matrix_.rows; }
  std::int64_t cols() const { return matrix_.cols; }
  // An empty view means "no bf16 table: gather the fp32 weights".
  bool empty() const { return matrix_.data == nullptr; }
  MatrixView<const bfloat16> matrix() const { return matrix_; }
  std::string shape() const { return "(" + std::to_string(rows()) + ", " + std::to_string(cols()) + ")"; }

 private:
  Device device_;
  MatrixView<const bfloat16> matrix_;
};

}  // namespace engine
