// Tensor, TensorView and DeviceArray on the CPU device: layout, padding, copies, errors.
#include <catch2/catch.hpp>

#include "engine/device.h"
#include "engine/layers.h"
#include "engine/tensor.h"

using engine::Device;
using engine::Tensor;

TEST_CASE("leading dimension is padded to 32 floats for rows of 32 or more", "[tensor]") {
  CHECK(engine::padded_leading_dimension(1) == 1);
  CHECK(engine::padded_leading_dimension(31) == 31);
  CHECK(engine::padded_leading_dimension(32) == 32);
  CHECK(engine::padded_leading_dimension(33) == 64);
  CHECK(engine::padded_leading_dimension(500) == 512);
}

TEST_CASE("Tensor round-trips host data through a padded layout", "[tensor]") {
  std::vector<float> values(3 * 40);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  const Tensor t = Tensor::from_host(3, 40, values, Device::cpu());
  CHECK(t.ld() == 64);
  CHECK(t.to_host() == values);
  CHECK(t.data()[64] == 40.0f);  // row 1 starts at ld
  CHECK(t.data()[40] == 0.0f);   // padding is zeroed
  CHECK(t.cview().row_block(1, 3).to_host() == std::vector<float>(values.begin() + 40, values.end()));
}

TEST_CASE("Tensor views reject bad row blocks and sizes", "[tensor]") {
  Tensor t = Tensor::zeros(4, 5, Device::cpu());
  CHECK_THROWS_AS(t.view().row_block(2, 5), engine::Error);
  CHECK_THROWS_AS(t.view().row_block(3, 2), engine::Error);
  CHECK_THROWS_WITH(t.view().copy_from_host(std::vector<float>(19)), Catch::Contains("(4, 5)"));
  CHECK_THROWS_AS(Tensor(-1, 3, Device::cpu()), engine::Error);
}

TEST_CASE("DeviceArray is move-only and frees exactly once", "[tensor]") {
  const std::size_t before = engine::memory_stats(Device::cpu()).current_bytes;
  {
    auto a = engine::DeviceArray<float>::zeros(1000, Device::cpu());
    CHECK(engine::memory_stats(Device::cpu()).current_bytes == before + 4000);
    engine::DeviceArray<float> b(std::move(a));
    CHECK(a.data() == nullptr);
    CHECK(b.size() == 1000);
    a = std::move(b);
    CHECK(a.size() == 1000);
  }
  CHECK(engine::memory_stats(Device::cpu()).current_bytes == before);
  CHECK(engine::memory_stats(Device::cpu()).peak_bytes >= before + 4000);
}

TEST_CASE("devices parse and print", "[device]") {
  CHECK(engine::to_string(engine::parse_device("cpu")) == "cpu");
  CHECK(engine::to_string(engine::parse_device("cuda")) == "cuda:0");
  CHECK(engine::parse_device("cuda:3").ordinal == 3);
  CHECK_THROWS_WITH(engine::parse_device("gpu"), Catch::Contains("'gpu'"));
  CHECK_THROWS_AS(engine::parse_device("cuda:-1"), engine::Error);
  CHECK_THROWS_AS(engine::parse_device("cuda:1x"), engine::Error);
}

TEST_CASE("a workspace reuses its memory for requests that fit", "[tensor]") {
  engine::Workspace workspace;
  const float* first = workspace.rows(1, 100, Device::cpu()).data();
  CHECK(workspace.rows(1, 90, Device::cpu()).data() == first);  // fewer elements: same memory
  CHECK(workspace.rows(2, 32, Device::cpu()).data() == first);
  const engine::TensorView view = workspace.rows(3, 40, Device::cpu());  // 3 rows of ld 64 do not fit
  CHECK(view.ld() == 64);
  CHECK(view.rows() == 3);
}
