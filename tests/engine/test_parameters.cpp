// ParameterStore: layout by group, deterministic initialisation, value records.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "engine/ops.h"
#include "engine/parameters.h"
#include "kernels/bfloat16.h"  // the reference rounding

using engine::Device;
using engine::Init;
using engine::ParameterStore;
namespace ops = engine::ops;

namespace {
ParameterStore make_store(std::uint64_t seed) {
  ParameterStore store;
  store.declare("enc.weight", 10, 40, "weights", Init::GlorotUniform);
  store.declare("enc.bias", 1, 40, "biases", Init::Zeros);
  store.declare("dec.weight", 10, 40, "weights", Init::GlorotUniform);
  store.finalize(Device::cpu(), seed);
  return store;
}
}  // namespace

TEST_CASE("parameters are laid out group by group, aligned and padded", "[parameters]") {
  ParameterStore store = make_store(1);
  REQUIRE(store.groups().size() == 2);
  CHECK(store.groups()[0].name == "weights");
  CHECK(store.groups()[1].name == "biases");
  CHECK(store.info(0).offset == 0);
  CHECK(store.info(0).ld == 64);
  CHECK(store.info(2).offset == 640);  // after enc.weight's 10 rows of 64: same group, contiguous
  CHECK(store.info(1).offset == store.groups()[1].offset);
  CHECK(store.groups()[0].size == 1280);
  CHECK(store.element_count() == 840);
  CHECK(store.info(1).offset % 32 == 0);
}

TEST_CASE("initialisation is Glorot uniform, deterministic by seed, zero for biases", "[parameters]") {
  ParameterStore a = make_store(7);
  ParameterStore b = make_store(7);
  ParameterStore c = make_store(8);
  const auto wa = a.value(0).to_host();
  CHECK(wa == b.value(0).to_host());
  CHECK(wa != c.value(0).to_host());
  const double limit = std::sqrt(6.0 / 50.0);
  double sum = 0.0;
  for (float w : wa) {
    CHECK(std::abs(w) <= limit);
    sum += w;
  }
  CHECK(std::abs(sum / static_cast<double>(wa.size())) < 0.05);  // centred
  CHECK(a.value(1).to_host() == std::vector<float>(40, 0.0f));
  CHECK(a.value(0).to_host() != a.value(2).to_host());  // each parameter its own stream
}

TEST_CASE("declarations are checked", "[parameters]") {
  ParameterStore store;
  store.declare("w", 2, 2, "weights", Init::Zeros);
  CHECK_THROWS_WITH(store.declare("w", 2, 2, "weights", Init::Zeros), Catch::Contains("duplicate parameter name 'w'"));
  CHECK_THROWS_AS(store.declare("v", 0, 2, "weights", Init::Zeros), engine::Error);
  CHECK_THROWS_WITH(store.value(0), Catch::Contains("before finalize"));
  store.finalize(Device::cpu(), 0);
  CHECK_THROWS_WITH(store.declare("u", 1, 1, "weights", Init::Zeros), Catch::Contains("after finalize"));
  CHECK_THROWS_WITH(store.find("nope"), Catch::Contains("'nope'"));
}

TEST_CASE("value records round-trip and reject mismatches and truncation", "[parameters]") {
  ParameterStore a = make_store(3);
  std::stringstream record;
  a.save_values(record);
  ParameterStore b = make_store(4);
  b.load_values(record);
  CHECK(b.value(0).to_host() == a.value(0).to_host());
  CHECK(b.value(2).to_host() == a.value(2).to_host());

  const std::string bytes = record.str();
  std::stringstream truncated(bytes.substr(0, bytes.size() - 10));
  CHECK_THROWS_WITH(b.load_values(truncated), Catch::Contains("truncated"));

  ParameterStore other;
  other.declare("enc.weight", 10, 41, "weights", Init::Zeros);
  other.declare("enc.bias", 1, 40, "biases", Init::Zeros);
  other.declare("dec.weight", 10, 40, "weights", Init::Zeros);
  other.finalize(Device::cpu(), 0);
  std::stringstream again(bytes);
  CHECK_THROWS_WITH(other.load_values(again), Catch::Contains("'enc.weight' (10, 40)"));
  std::stringstream garbage("not a parameter record at all");
  CHECK_THROWS_WITH(b.load_values(garbage), Catch::Contains("magic"));
}

TEST_CASE("a failed load leaves every value as it was", "[parameters]") {
  ParameterStore a = make_store(3);
  std::stringstream record;
  a.save_values(record);
  std::string bytes = record.str();
  ParameterStore b = make_store(4);
  const auto before = b.value(0).to_host();
  std::stringstream truncated(bytes.substr(0, bytes.size() - 8));  // the last parameter is cut short
  CHECK_THROWS(b.load_values(truncated));
  CHECK(b.value(0).to_host() == before);  // the first parameter, read fine, was not written either
}

TEST_CASE("copy_values_from requires the same layout", "[parameters]") {
  ParameterStore a = make_store(1);
  ParameterStore other;
  other.declare("x", 20, 20, "weights", Init::Zeros);
  other.declare("y", 1, 40, "biases", Init::Zeros);
  other.declare("z", 1, 1, "weights", Init::Zeros);
  other.finalize(Device::cpu(), 0);
  CHECK_THROWS_WITH(a.copy_values_from(other), Catch::Contains("different layouts"));
  ParameterStore copy = a.clone();
  CHECK(copy.value(2).to_host() == a.value(2).to_host());
}

TEST_CASE("gradient buffers are allocated per group on first use, and a clone holds values only",
          "[parameters][memory]") {
  ParameterStore store;
  const auto w = store.declare("w", 100, 64, engine::kWeightsGroup, engine::Init::GlorotUniform);
  const auto b = store.declare("b", 1, 64, engine::kBiasesGroup, engine::Init::Zeros);
  const std::size_t before = engine::memory_stats(engine::Device::cpu()).current_bytes;
  store.finalize(engine::Device::cpu(), 1);
  const std::size_t values_bytes = engine::memory_stats(engine::Device::cpu()).current_bytes - before;
  CHECK(values_bytes == static_cast<std::size_t>(store.groups()[0].size + store.groups()[1].size) * sizeof(float));
  // Asking for the bias gradient allocates the biases group only.
  store.grad(b);
  CHECK(engine::memory_stats(engine::Device::cpu()).current_bytes - before ==
        values_bytes + static_cast<std::size_t>(store.groups()[1].size) * sizeof(float));
  CHECK(store.grad(w).to_host() == std::vector<float>(100 * 64, 0.0f));  // allocated, zeroed
  CHECK(engine::memory_stats(engine::Device::cpu()).current_bytes - before == 2 * values_bytes);
  const std::size_t with_store = engine::memory_stats(engine::Device::cpu()).current_bytes;
  const ParameterStore copy = store.clone();
  CHECK(engine::memory_stats(engine::Device::cpu()).current_bytes - with_store == values_bytes);
}

namespace {
// The parameter's bf16 copy, widened, against its fp32 value rounded now: "" or the first mismatch.
std::string copy_mismatch(const ParameterStore& store, engine::ParameterId id) {
  const engine::Bf16TableView copy = store.bf16_copy(id);
  const engine::ConstTensorView value = store.value(id);
  for (std::int64_t i = 0; i < value.rows(); ++i) {
    for (std::int64_t j = 0; j < value.cols(); ++j) {
      const float w = value.data()[i * value.ld() + j];
      if (copy.matrix()(i, j).bits != kernels::to_bfloat16(w).bits) {
        return "(" + std::to_string(i) + ", " + std::to_string(j) + ")";
      }
    }
  }
  return "";
}
}  // namespace

TEST_CASE("a bf16 copy is rebuilt after every write that bypasses it, and only then", "[parameters][bf16]") {
  ParameterStore store = make_store(3);
  const engine::ParameterId enc = store.find("enc.weight");
  const engine::ParameterId dec = store.find("dec.weight");
  CHECK(store.bf16_copy(enc).empty());  // none until asked for
  store.keep_bf16_copy(enc);
  store.keep_bf16_copy(dec);
  CHECK(store.bf16_rebuilds() == 2);
  CHECK(copy_mismatch(store, enc) == "");
  CHECK(store.bf16_rebuilds() == 2);  // reading values and copies rebuilds nothing

  SECTION("a write through value()") {
    ops::fill(store.value(enc), 0.3f);
    CHECK(copy_mismatch(store, enc) == "");
    CHECK(store.bf16_rebuilds() == 3);
    CHECK(copy_mismatch(store, dec) == "");  // the other copy was not stale
    CHECK(store.bf16_rebuilds() == 3);
  }
  SECTION("a flat pass over the weights group (a full-batch optimizer step)") {
    ops::scale(store.group_values(store.groups()[0]), 0.5f);
    CHECK(copy_mismatch(store, enc) == "");
    CHECK(copy_mismatch(store, dec) == "");
    CHECK(store.bf16_rebuilds() == 4);
  }
  SECTION("a pass over the biases group leaves the weights' copies alone") {
    ops::fill(store.group_values(store.groups()[1]), 1.0f);
    CHECK(copy_mismatch(store, enc) == "");
    CHECK(store.bf16_rebuilds() == 2);
  }
  SECTION("loading values and copying another store's") {
    std::stringstream record;
    make_store(9).save_values(record);
    store.load_values(record);
    CHECK(copy_mismatch(store, dec) == "");
    store.copy_values_from(make_store(10));
    CHECK(copy_mismatch(store, enc) == "");
    CHECK(store.bf16_rebuilds() == 4);
  }
  SECTION("the fused write hands out both without marking the copy stale") {
    const ParameterStore::FusedWrite target = store.value_and_bf16_copy(enc);
    REQUIRE(target.copy != nullptr);
    target.value.data()[0] = 2.0f;
    target.copy[0] = {kernels::to_bfloat16(2.0f).bits};  // the writer keeps them in step
    CHECK(copy_mismatch(store, enc) == "");
    CHECK(store.bf16_rebuilds() == 2);
    CHECK(store.value_and_bf16_copy(store.find("enc.bias")).copy == nullptr);
  }
  SECTION("a clone has no copies") { CHECK(store.clone().bf16_copy(enc).empty()); }
}
