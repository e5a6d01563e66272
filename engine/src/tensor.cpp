#include "engine/tensor.h"

#include "engine/internal/backend.h"
#include "engine/ops.h"

namespace engine {

std::int64_t padded_leading_dimension(std::int64_t cols) {
  constexpr std::int64_t kLine = 32;  // floats per 128-byte line
  return cols < kLine ? cols : (cols + kLine - 1) / kLine * kLine;
}

std::string ConstTensorView::shape() const {
  return "(" + std::to_string(rows()) + ", " + std::to_string(cols()) + ")";
}

ConstTensorView ConstTensorView::row_block(std::int64_t begin, std::int64_t end) const {
  ENGINE_REQUIRE(0 <= begin && begin <= end && end <= rows(), "row_block [", begin, ", ", end, ") of a tensor ",
               shape());
  return {device_, {matrix_.data + begin * ld(), end - begin, cols(), ld()}};
}

TensorView TensorView::row_block(std::int64_t begin, std::int64_t end) const {
  ENGINE_REQUIRE(0 <= begin && begin <= end && end <= rows(), "row_block [", begin, ", ", end, ") of a tensor ",
               shape());
  return {device_, {matrix_.data + begin * ld(), end - begin, cols(), ld()}};
}

std::vector<float> ConstTensorView::to_host() const {
  std::vector<float> dense(static_cast<std::size_t>(size()));
  Backend& backend = backend_for(device_);
  if (ld() == cols() || rows() <= 1) {
    if (!dense.empty()) backend.copy_to_host(dense.data(), data(), dense.size() * sizeof(float));
    return dense;
  }
  for (std::int64_t i = 0; i < rows(); ++i) {
    backend.copy_to_host(dense.data() + i * cols(), data() + i * ld(), static_cast<std::size_t>(cols()) * sizeof(float));
  }
  return dense;
}

void TensorView::copy_from_host(std::span<const float> values) const {
  ENGINE_CHECK_SHAPE(static_cast<std::int64_t>(values.size()) == size(), "copy_from_host: ", values.size(),
                     " values into a tensor ", shape());
  Backend& backend = backend_for(device_);
  if (ld() == cols() || rows() <= 1) {
    if (!values.empty()) backend.copy_from_host(data(), values.data(), values.size() * sizeof(float));
    return;
  }
  for (std::int64_t i = 0; i < rows(); ++i) {
    backend.copy_from_host(data() + i * ld(), values.data() + i * cols(), static_cast<std::size_t>(cols()) * sizeof(float));
  }
}

Tensor::Tensor(std::int64_t rows, std::int64_t cols, Device device)
    : rows_(rows), cols_(cols), ld_(padded_leading_dimension(cols)) {
  ENGINE_REQUIRE(rows >= 0 && cols >= 0, "Tensor: negative shape (", rows, ", ", cols, ")");
  storage_ = DeviceArray<float>(rows * ld_, device);
}

Tensor Tensor::zeros(std::int64_t rows, std::int64_t cols, Device device) {
  Tensor tensor(rows, cols, device);
  if (rows * tensor.ld_ > 0) backend_for(device).zero(tensor.data(), tensor.storage_.bytes());
  return tensor;
}

Tensor Tensor::from_host(std::int64_t rows, std::int64_t cols, std::span<const float> values, Device device) {
  Tensor tensor = zeros(rows, cols, device);
  tensor.view().copy_from_host(values);
  return tensor;
}

Tensor Tensor::to(Device device) const { return from_host(rows_, cols_, to_host(), device); }

}  // namespace engine
