// The engine ops' own checks: each mismatch throws ShapeError naming the op and the shapes. (The
// numerical results of the ops are tested at the kernel level against double references.)
#include <catch2/catch.hpp>

#include "engine/layers.h"
#include "engine/ops.h"

using engine::Device;
using engine::SparseMatrix;
using engine::Tensor;
namespace ops = engine::ops;

namespace {
SparseMatrix small_matrix() {  // (3, 4; nnz=4)
  return SparseMatrix::from_coo(3, 4, engine::CooTriplets{{0, 1, 2, 2}, {0, 3, 1, 2}, {1, 2, 3, 4}});
}
}  // namespace

TEST_CASE("spmm checks operand shapes", "[ops]") {
  const SparseMatrix a = small_matrix();
  Tensor b = Tensor::zeros(4, 5, Device::cpu());
  Tensor c = Tensor::zeros(3, 5, Device::cpu());
  CHECK_NOTHROW(ops::spmm(a, b, c));
  Tensor wrong_b = Tensor::zeros(3, 5, Device::cpu());
  CHECK_THROWS_WITH(ops::spmm(a, wrong_b, c), Catch::Contains("spmm") && Catch::Contains("(3, 4; nnz=4)") &&
                                                  Catch::Contains("B (3, 5)"));
  Tensor wrong_c = Tensor::zeros(3, 6, Device::cpu());
  CHECK_THROWS_AS(ops::spmm(a, b, wrong_c), engine::ShapeError);
  Tensor wrong_values = Tensor::zeros(1, 3, Device::cpu());
  CHECK_THROWS_WITH(ops::spmm(a, wrong_values, b, c), Catch::Contains("values (1, 3)"));
}

TEST_CASE("transposed spmm, sddmm and the fused loss check operand shapes", "[ops]") {
  const SparseMatrix a = small_matrix();
  Tensor b3 = Tensor::zeros(3, 5, Device::cpu());
  Tensor c4 = Tensor::zeros(4, 5, Device::cpu());
  CHECK_NOTHROW(ops::spmm_transposed(a, b3, c4));
  CHECK_THROWS_WITH(ops::spmm_transposed(a, c4, c4), Catch::Contains("spmm_transposed"));

  Tensor out = Tensor::zeros(1, 4, Device::cpu());
  CHECK_NOTHROW(ops::sddmm(a, b3, c4, out));
  Tensor short_out = Tensor::zeros(1, 3, Device::cpu());
  CHECK_THROWS_WITH(ops::sddmm(a, b3, c4, short_out), Catch::Contains("sddmm") && Catch::Contains("out (1, 3)"));

  engine::DeviceAccumulator sse(Device::cpu());
  Tensor bias = Tensor::zeros(1, 4, Device::cpu());
  Tensor bad_bias = Tensor::zeros(1, 5, Device::cpu());
  CHECK_NOTHROW(ops::sddmm_squared_error(a, b3, c4, bias, engine::Activation::Identity, out, engine::TensorView(), sse));
  CHECK_THROWS_WITH(
      ops::sddmm_squared_error(a, b3, c4, bad_bias, engine::Activation::Identity, out, engine::TensorView(), sse),
      Catch::Contains("bias (1, 5)"));
}

TEST_CASE("gemm checks inner and outer dimensions with transposes", "[ops]") {
  Tensor a = Tensor::zeros(2, 3, Device::cpu());
  Tensor b = Tensor::zeros(4, 3, Device::cpu());
  Tensor c = Tensor::zeros(2, 4, Device::cpu());
  CHECK_NOTHROW(ops::gemm(false, true, 1.0f, a, b, 0.0f, c));
  CHECK_THROWS_WITH(ops::gemm(false, false, 1.0f, a, b, 0.0f, c),
                    Catch::Contains("gemm") && Catch::Contains("A (2, 3)") && Catch::Contains("B (4, 3)"));
}

TEST_CASE("elementwise ops and reductions check shapes", "[ops]") {
  Tensor z = Tensor::zeros(2, 3, Device::cpu());
  Tensor h = Tensor::zeros(2, 4, Device::cpu());
  CHECK_THROWS_AS(ops::bias_activation_forward(z, engine::ConstTensorView(), engine::Activation::Sigmoid, h),
                  engine::ShapeError);
  CHECK_THROWS_AS(ops::activation_backward(z, h, engine::Activation::Tanh, z), engine::ShapeError);
  Tensor sums = Tensor::zeros(1, 2, Device::cpu());
  CHECK_THROWS_WITH(ops::column_sums(z, sums), Catch::Contains("column_sums"));
  CHECK_NOTHROW(ops::row_sums(z, sums));
  CHECK_THROWS_AS(ops::axpy(1.0f, z, h), engine::ShapeError);
  CHECK_THROWS_AS(ops::dropout(z, h, 0.5f, 1), engine::ShapeError);
}

TEST_CASE("fill, scale, axpy and copy leave ld padding alone", "[ops]") {
  Tensor x = Tensor::zeros(2, 40, Device::cpu());  // ld 64
  ops::fill(x, 2.0f);
  ops::scale(x, 1.5f);
  Tensor y = Tensor::zeros(2, 40, Device::cpu());
  ops::axpy(2.0f, x, y);
  CHECK(y.to_host() == std::vector<float>(80, 6.0f));
  CHECK(y.data()[40] == 0.0f);
  Tensor z = Tensor::zeros(2, 40, Device::cpu());
  ops::copy(y, z);
  CHECK(z.to_host() == y.to_host());
}

TEST_CASE("the losses and rows by index check their operands", "[ops][research]") {
  Tensor p = Tensor::zeros(4, 3, Device::cpu()), t = Tensor::zeros(4, 3, Device::cpu());
  Tensor wrong = Tensor::zeros(4, 2, Device::cpu());
  engine::DeviceAccumulator loss(Device::cpu());
  CHECK_THROWS_WITH(ops::mse_loss(p, wrong, 1.0f, p, loss), Catch::Contains("mse_loss") && Catch::Contains("target (4, 2)"));
  CHECK_THROWS_WITH(ops::bce_with_logits_loss(p, t, 1.0f, wrong, loss),
                    Catch::Contains("bce_with_logits_loss") && Catch::Contains("grad (4, 2)"));
  CHECK_NOTHROW(ops::mse_loss(p, t, 1.0f, engine::TensorView{}, loss));  // no gradient wanted
  const auto three_labels = engine::DeviceArray<engine::index_t>::from_host(std::vector<engine::index_t>{0, 1, 2}, Device::cpu());
  CHECK_THROWS_WITH(ops::softmax_cross_entropy_loss(p, three_labels, 1.0f, p, loss),
                    Catch::Contains("3 labels for logits (4, 3)"));
  // A label out of range is the kernel's error (the CPU checks every label).
  const auto bad_labels = engine::DeviceArray<engine::index_t>::from_host(std::vector<engine::index_t>{0, 1, 3, 2}, Device::cpu());
  CHECK_THROWS_WITH(ops::softmax_cross_entropy_loss(p, bad_labels, 1.0f, p, loss), Catch::Contains("label 3 of row 2"));

  Tensor table = Tensor::zeros(5, 3, Device::cpu()), out = Tensor::zeros(3, 3, Device::cpu());
  CHECK_NOTHROW(ops::index_select_rows(table, three_labels, out));
  CHECK_THROWS_WITH(ops::index_select_rows(table, bad_labels, out), Catch::Contains("index_select_rows"));
  const auto out_of_range = engine::DeviceArray<engine::index_t>::from_host(std::vector<engine::index_t>{0, 5, 1}, Device::cpu());
  CHECK_THROWS_WITH(ops::index_select_rows(table, out_of_range, out), Catch::Contains("index 5 at position 1"));
  CHECK_THROWS_WITH(ops::index_add_rows(out, out_of_range, 1.0f, table), Catch::Contains("index 5 at position 1"));
  CHECK_THROWS_WITH(ops::index_add_rows(wrong, three_labels, 1.0f, table), Catch::Contains("index_add_rows"));
}

TEST_CASE("shape errors inside a layer name the layer as well as the op", "[ops][layers]") {
  engine::ParameterStore store;
  engine::SparseInputLayer encoder(store, "encoder", 4, 2, engine::Activation::Sigmoid);
  store.finalize(Device::cpu(), 1);
  const SparseMatrix x = SparseMatrix::from_coo(3, 5, engine::CooTriplets{{0, 1}, {0, 4}, {1, 2}});  // 5 columns, not 4
  CHECK_THROWS_WITH(encoder.forward(store, x), Catch::Contains("layer 'encoder': spmm:"));
  // Outside a layer the message starts with the op, and scopes nest and close.
  Tensor a = Tensor::zeros(2, 3, Device::cpu()), b = Tensor::zeros(4, 2, Device::cpu()), c = Tensor::zeros(2, 2, Device::cpu());
  {
    const ops::LayerScope outer("outer");
    {
      const ops::LayerScope inner("inner");
      CHECK_THROWS_WITH(ops::gemm(false, false, 1.0f, a, b, 0.0f, c), Catch::StartsWith("layer 'inner': gemm"));
    }
    CHECK_THROWS_WITH(ops::gemm(false, false, 1.0f, a, b, 0.0f, c), Catch::StartsWith("layer 'outer': gemm"));
  }
  CHECK_THROWS_WITH(ops::gemm(false, false, 1.0f, a, b, 0.0f, c), Catch::StartsWith("gemm"));
}
