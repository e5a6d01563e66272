// Dense float32 matrices: Tensor owns its memory; TensorView / ConstTensorView are non-owning
// windows (a row block of a Tensor, a parameter inside the flat parameter buffer) that the ops take.
// All are 2-D, row-major, with a leading dimension ld >= cols (element (i, j) at data[i * ld + j]).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/device_array.h"
#include "engine/matrix_view.h"

namespace engine {

// Rows of 32 floats or more start on a 128-byte boundary: the leading dimension is padded to a
// multiple of 32 floats (one GPU cache line, a whole warp of loads); narrower rows are not padded.
std::int64_t padded_leading_dimension(std::int64_t cols);

class ConstTensorView {
 public:
  ConstTensorView() = default;
  ConstTensorView(Device device, MatrixView<const float> matrix) : device_(device), matrix_(matrix) {}

  Device device() const { return device_; }
  std::int64_t rows() const { return matrix_.rows; }
  std::int64_t cols() const { return matrix_.cols; }
  std::int64_t ld() const { return matrix_.ld; }
  std::int64_t size() const { return matrix_.rows * matrix_.cols; }
  const float* data() const { return matrix_.data; }
  MatrixView<const float> matrix() const { return matrix_; }
  std::string shape() const;  // "(rows, cols)"
  // Rows [begin, end).
  ConstTensorView row_block(std::int64_t begin, std::int64_t end) const;
  // The elements as a dense host vector (ld padding dropped).
  std::vector<float> to_host() const;

 private:
  Device device_;
  MatrixView<const float> matrix_;
};

class TensorView {
 public:
  TensorView() = default;
  TensorView(Device device, MatrixView<float> matrix) : device_(device), matrix_(matrix) {}

  Device device() const { return device_; }
  std::int64_t rows() const { return matrix_.rows; }
  std::int64_t cols() const { return matrix_.cols; }
  std::int64_t ld() const { return matrix_.ld; }
  std::int64_t size() const { return matrix_.rows * matrix_.cols; }
  float* data() const { return matrix_.data; }
  MatrixView<float> matrix() const { return matrix_; }
  std::string shape() const { return ConstTensorView(*this).shape(); }
  TensorView row_block(std::int64_t begin, std::int64_t end) const;
  std::vector<float> to_host() const { return ConstTensorView(*this).to_host(); }
  // Overwrites every element from a dense row-major host array of rows * cols floats.
  void copy_from_host(std::span<const float> values) const;
  operator ConstTensorView() const { return {device_, matrix_}; }

 private:
  Device device_;
  MatrixView<float> matrix_;
};

class Tensor {
 public:
  Tensor() = default;
  // Uninitialised (rows, cols) on device, padded leading dimension.
  Tensor(std::int64_t rows, std::int64_t cols, Device device);
  static Tensor zeros(std::int64_t rows, std::int64_t cols, Device device);
  static Tensor from_host(std::int64_t rows, std::int64_t cols, std::span<const float> values, Device device);

  Device device() const { return storage_.device(); }
  std::int64_t rows() const { return rows_; }
  std::int64_t cols() const { return cols_; }
  std::int64_t ld() const { return ld_; }
  float* data() { return storage_.data(); }
  const float* data() const { return storage_.data(); }
  std::string shape() const { return cview().shape(); }

  TensorView view() { return {device(), {storage_.data(), rows_, cols_, ld_}}; }
  ConstTensorView cview() const { return {device(), {storage_.data(), rows_, cols_, ld_}}; }
  operator TensorView() { return view(); }
  operator ConstTensorView() const { return cview(); }
  std::vector<float> to_host() const { return cview().to_host(); }
  Tensor to(Device device) const;

 private:
  DeviceArray<float> storage_;
  std::int64_t rows_ = 0;
  std::int64_t cols_ = 0;
  std::int64_t ld_ = 0;
};

}  // namespace engine
