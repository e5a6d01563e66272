// The research ops' CUDA kernels on the SIMT emulation beyond the per-op table (tests/ops): index_add_rows
// equal to the CPU kernel bit for bit (same grouping, same order of additions) with heavy repeats, the
// device's answer to out-of-range indices and labels (skip / NaN, where the CPU throws), empty inputs,
// and losses with the gradient written over the input.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "device_data.h"
#include "kernels/cpu.h"
#include "kernels/cuda.h"
#include "testsupport/host_dense.h"

using cudatest::DeviceArray;
using kernels::index_t;
using kernels::offset_t;

namespace {

kernels::MatrixView<const float> view(const DeviceArray<float>& a, std::int64_t rows, std::int64_t cols) {
  return {a.data(), rows, cols, cols};
}
kernels::MatrixView<float> mview(DeviceArray<float>& a, std::int64_t rows, std::int64_t cols) {
  return {a.data(), rows, cols, cols};
}

}  // namespace

TEST_CASE("cuda index_add_rows equals the CPU kernel bit for bit, with heavy repeats", "[simt][research]") {
  const std::int64_t count = 3000, rows = 40, k = 70;  // ~75 sources per destination, k over one block of threads
  std::vector<index_t> indices(static_cast<std::size_t>(count));
  for (std::int64_t r = 0; r < count; ++r) indices[r] = static_cast<index_t>((r * 7919) % rows);
  indices[5] = 0;  // destination 0 repeated more than the others
  const std::vector<float> src = testsupport::random_vector(count * k, 1);
  std::vector<float> out = testsupport::random_vector(rows * k, 2);
  DeviceArray<float> device_src(src), device_out(out);
  const DeviceArray<index_t> device_indices(indices);
  DeviceArray<offset_t> scratch(static_cast<std::size_t>(kernels::cuda::index_add_rows_scratch(count, rows)));
  kernels::cuda::index_add_rows(view(device_src, count, k), device_indices.data(), 0.5f, mview(device_out, rows, k),
                                scratch.data(), nullptr);
  kernels::cpu::index_add_rows({src.data(), count, k, k}, indices.data(), 0.5f, {out.data(), rows, k, k});
  CHECK(device_out.download() == out);
}

TEST_CASE("cuda rows by index: out-of-range indices are skipped or NaN, empty inputs are no-ops",
          "[simt][research]") {
  const std::int64_t k = 3;
  const std::vector<float> table = {1, 2, 3, 4, 5, 6};  // 2 rows
  const DeviceArray<float> device_table(table);
  const DeviceArray<index_t> indices(std::vector<index_t>{1, 7, -1});
  DeviceArray<float> out(std::vector<float>(9, 0.0f));
  kernels::cuda::index_select_rows(view(device_table, 2, k), indices.data(), mview(out, 3, k), nullptr);
  const std::vector<float> selected = out.download();
  CHECK(selected[0] == 4.0f);
  CHECK(selected[2] == 6.0f);
  CHECK(std::isnan(selected[3]));
  CHECK(std::isnan(selected[8]));

  // index_add_rows: the two bad sources add nothing.
  const DeviceArray<float> src(std::vector<float>{1, 1, 1, 10, 10, 10, 100, 100, 100});
  DeviceArray<float> target(std::vector<float>(6, 0.0f));
  DeviceArray<offset_t> scratch(static_cast<std::size_t>(kernels::cuda::index_add_rows_scratch(3, 2)));
  kernels::cuda::index_add_rows(view(src, 3, k), indices.data(), 1.0f, mview(target, 2, k), scratch.data(), nullptr);
  CHECK(target.download() == std::vector<float>{0, 0, 0, 1, 1, 1});
  // No sources: nothing happens (and no scratch is needed).
  kernels::cuda::index_add_rows(view(src, 0, k), indices.data(), 1.0f, mview(target, 2, k), nullptr, nullptr);
  CHECK(target.download() == std::vector<float>{0, 0, 0, 1, 1, 1});
}

TEST_CASE("cuda softmax cross-entropy: a bad label makes its row NaN, the others stay exact", "[simt][research]") {
  const std::vector<float> logits = {0, 0, 0, 0, 1, 2, 3, 4};  // 2 rows x 4 classes
  DeviceArray<float> z(logits);
  const DeviceArray<index_t> labels(std::vector<index_t>{2, 9});
  DeviceArray<double> loss(std::vector<double>{0.0});
  DeviceArray<float> grad(std::vector<float>(8, 0.0f));
  kernels::cuda::softmax_cross_entropy_loss(view(z, 2, 4), labels.data(), 1.0f, mview(grad, 2, 4), loss.data(), nullptr);
  const std::vector<float> g = grad.download();
  CHECK(g[2] == Approx(0.25 - 1.0));
  CHECK(g[0] == Approx(0.25));
  CHECK(std::isnan(g[4]));
  CHECK(std::isnan(loss.download()[0]));
  // With good labels and the gradient written over the logits (grad aliases z): log 4 for row 0.
  const DeviceArray<index_t> good(std::vector<index_t>{2, 3});
  DeviceArray<double> loss2(std::vector<double>{0.0});
  kernels::cuda::softmax_cross_entropy_loss(view(z, 2, 4), good.data(), 1.0f, mview(z, 2, 4), loss2.data(), nullptr);
  double row1 = 0.0;
  for (int j = 1; j <= 4; ++j) row1 += std::exp(j - 4.0);
  CHECK(loss2.download()[0] == Approx(std::log(4.0) + std::log(row1)).epsilon(1e-6));
  std::vector<float> cpu_grad = logits;
  const std::vector<index_t> host_good = {2, 3};
  const double cpu_loss = kernels::cpu::softmax_cross_entropy_loss({logits.data(), 2, 4, 4}, host_good.data(), 1.0f,
                                                                   {cpu_grad.data(), 2, 4, 4});
  CHECK(cpu_loss == Approx(loss2.download()[0]).epsilon(1e-6));
  const std::vector<float> aliased = z.download();
  for (std::size_t i = 0; i < aliased.size(); ++i) CHECK(aliased[i] == Approx(cpu_grad[i]).epsilon(1e-5).margin(1e-7));
}
