// A bf16 table (`--precision bf16`): the read-only bfloat16 copy of a parameter's fp32 weights that the
// gathering kernels read (ops::spmm, ops::sddmm_squared_error_backprop), half the bytes per gathered row.
// ParameterStore owns the copies and keeps them current (ParameterStore::bf16_copy); this is a view.
#pragma once

#include <cstdint>
#include <string>

#include "engine/backend.h"
#include "engine/device.h"

namespace engine {

class Bf16TableView {
 public:
  Bf16TableView() = default;
  Bf16TableView(Device device, Bf16Matrix matrix) : device_(device), matrix_(matrix) {}

  Device device() const { return device_; }
  std::int64_t rows() const { return matrix_.rows; }
  std::int64_t cols() const { return matrix_.cols; }
  // An empty view means "no bf16 table: gather the fp32 weights".
  bool empty() const { return matrix_.data == nullptr; }
  Bf16Matrix matrix() const { return matrix_; }
  std::string shape() const { return "(" + std::to_string(rows()) + ", " + std::to_string(cols()) + ")"; }

 private:
  Device device_;
  Bf16Matrix matrix_;
};

}  // namespace engine
