// ParameterStore: every trainable matrix of a model in ONE flat value buffer with a gradient buffer per
// group (allocated when first used), so an optimizer updates all of them in one fused pass per group
// instead of one launch per matrix. Parameters are declared first (layers do it in their constructors), then finalize()
// lays them out group by group (each group a contiguous range, each parameter's rows padded like a
// Tensor's) and allocates on the device.
//
// Groups carry per-group optimizer settings: e.g. "weights" regularised, "biases" not.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "engine/bf16_table.h"
#include "engine/device_array.h"
#include "engine/tensor.h"

namespace engine {

using ParameterId = std::int32_t;

// The groups the engine's layers declare their parameters in: optimizers take per-group settings
// (AutoRec's L2 term applies to the weights, never to the biases).
inline constexpr const char* kWeightsGroup = "weights";
inline constexpr const char* kBiasesGroup = "biases";

enum class Init { Zeros, GlorotUniform };

struct ParameterInfo {
  std::string name;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::string group;
  Init init = Init::Zeros;
  std::int64_t ld = 0;      // set by finalize()
  std::int64_t offset = 0;  // into the flat buffers, set by finalize()
};

struct GroupRange {
  std::string name;
  std::int64_t offset = 0;  // first element in the flat buffers
  std::int64_t size = 0;    // elements, padding included
};

class ParameterStore {
 public:
  ParameterStore() = default;
  ParameterStore(ParameterStore&&) = default;
  ParameterStore& operator=(ParameterStore&&) = default;

  // Declares a (rows, cols) parameter in `group`. Names must be unique. Only before finalize().
  ParameterId declare(std::string name, std::int64_t rows, std::int64_t cols, std::string group, Init init);
  // Lays out and allocates; values initialised from `seed` (Glorot uniform from a counter-based
  // generator, so every device gets the same numbers), gradients zeroed.
  void finalize(Device device, std::uint64_t seed);
  bool finalized() const { return finalized_; }

  Device device() const { return values_.device(); }
  TensorView value(ParameterId id);
  ConstTensorView value(ParameterId id) const;
  TensorView grad(ParameterId id);
  ConstTensorView grad(ParameterId id) const;
  const ParameterInfo& info(ParameterId id) const;
  ParameterId find(const std::string& name) const;  // throws when unknown
  std::int32_t count() const { return static_cast<std::int32_t>(params_.size()); }

  const std::vector<GroupRange>& groups() const { return groups_; }
  // The whole flat value buffer (padding included).
  TensorView flat_values() {
    mark_bf16_copies_stale(0, total_);
    return {device(), {values_.data(), 1, total_, total_}};
  }
  TensorView group_values(const GroupRange& g) {
    mark_bf16_copies_stale(g.offset, g.size);
    return {device(), {values_.data() + g.offset, 1, g.size, g.size}};
  }
  // A group's gradients (padding included), allocated on first use (see grads_).
  TensorView group_grads(const GroupRange& g);
  ConstTensorView group_values(const GroupRange& g) const {
    return {device(), {values_.data() + g.offset, 1, g.size, g.size}};
  }
  std::int64_t element_count() const;  // real elements, padding excluded

  // Allocates every group's gradient buffer if needed and zeroes it (accumulated training).
  void zero_grads();
  // Copies values from another finalized store with the same layout (e.g. to keep best weights).
  void copy_values_from(const ParameterStore& other);
  // A finalized store with the same layout and values (gradients zero), on the same device.
  ParameterStore clone() const;

  // Values only, with names and shapes: a checked binary record. load() throws engine::Error on any
  // mismatch in names, shapes or a short stream.
  void save_values(std::ostream& out) const;
  void load_values(std::istream& in);

  // ---- bf16 tables (`--precision bf16`) ----
  // Keeps a bf16 copy of parameter `id` (same shape and leading dimension), built now from its fp32
  // value, for the kernels that gather its rows. The fp32 value stays the master: checkpoints, the
  // optimizer and every non-gathering op use it. After finalize(); a clone() has no copies.
  void keep_bf16_copy(ParameterId id);
  bool has_bf16_copy(ParameterId id) const;
  // The copy, never stale: any mutable access to the fp32 value (value(id), group_values(),
  // flat_values(), hence load_values(), copy_values_from() and a flat optimizer step) marks the copy
  // stale, and this rebuilds a stale copy first (one rounding pass). Empty view when there is no copy.
  Bf16TableView bf16_copy(ParameterId id) const;
  // For the kernel that writes the fp32 weights and their bf16 copy together (the fused update with
  // its WeightUpdate::bf16_copy set): the value and the copy's memory, the copy made current first.
  // Taking the value this way does not mark the copy stale: the caller writes both.
  struct FusedWrite {
    TensorView value;
    bfloat16* copy = nullptr;  // null when `id` has no copy
  };
  FusedWrite value_and_bf16_copy(ParameterId id);
  // How many times a copy was (re)built from its fp32 value: tests check that a mini-batch epoch
  // with fused updates rebuilds none (the update epilogue keeps the copies current).
  std::int64_t bf16_rebuilds() const { return bf16_rebuilds_; }

 private:
  std::vector<ParameterInfo> params_;
  std::vector<GroupRange> groups_;
  std::int64_t total_ = 0;
  bool finalized_ = false;
  // The gradient buffer of group g, allocated (zeroed) on first use.
  DeviceArray<float>& gradient_buffer(std::size_t g) const;

  DeviceArray<float> values_;
  // One gradient buffer per group, each allocated on first use: a model trained with fused updates
  // never asks for its sparse layers' weight gradients (2 x n x k floats), and a clone (the best-epoch
  // copy) never asks for any, so neither is ever allocated.
  mutable std::vector<DeviceArray<float>> grads_;

  // bf16 copies by parameter id (empty arrays for parameters without one) and whether each may be stale.
  std::vector<DeviceArray<bfloat16>> bf16_copies_;
  mutable std::vector<char> bf16_stale_;
  mutable std::int64_t bf16_rebuilds_ = 0;
  TensorView value_view(ParameterId id) const;
  // Marks the copies of the parameters in the flat range [offset, offset + size) stale.
  void mark_bf16_copies_stale(std::int64_t offset, std::int64_t size);
  void rebuild_bf16_copy(ParameterId id) const;
};

}  // namespace engine
