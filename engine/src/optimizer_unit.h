// What every optimizer unit (engine/src/optimizers/<name>.cpp) shares: conversion of the kernels'
// WeightUpdate to the opaque engine::FusedUpdate, the checkpoint record's header, state arrays, the
// layout check, hyper-parameters by name, and the factory each unit defines for the registry.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <cstring>
#include <iosfwd>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/internal/backend.h"
#include "engine/optimizers.h"
#include "engine/serialize.h"
#include "kernels/optimizer_rules.h"
#include "kernels/weight_update.h"
#include "fused_update_access.h"

namespace engine {

namespace optimizer_unit {

// Checkpoint record of an optimizer's state: magic, the optimizer's name, then its own fields.
void write_state_header(std::ostream& out, const std::string& name);
void read_state_header(std::istream& in, const std::string& name);
void write_array(std::ostream& out, const DeviceArray<float>& array);
// Reads an array sized like `array` (not into it: a bad record must leave the optimizer unchanged).
std::vector<float> read_array(std::istream& in, const DeviceArray<float>& array, const char* what);

// Elements of the store's flat buffers (the size of every state array).
std::int64_t flat_size(const ParameterStore& store);
// An optimizer's state is laid out for the store it was made for: stepping another one would read and
// write past its buffers.
void require_same_layout(const ParameterStore& store, const DeviceArray<float>& state, std::size_t groups,
                         const char* optimizer);

// One optimizer step of a whole group from its gradient buffer.
void apply_update(ParameterStore& store, const GroupRange& range, const kernels::WeightUpdate& update);
// Applies `update` (one per group, from group_update(g, offset)) to every group from its gradient buffer.
template <class GroupUpdate>
void step_groups(ParameterStore& store, GroupUpdate&& group_update) {
  for (std::size_t g = 0; g < store.groups().size(); ++g) {
    const GroupRange& range = store.groups()[g];
    apply_update(store, range, group_update(g, range.offset));
  }
}

// Hyper-parameters by name: each unit lists its fields once.
template <class Params>
struct Field {
  const char* name;
  std::function<void(Params&, float)> set;
};
// A field that is a member of Params (booleans from 0 / 1).
template <class Params, class T>
Field<Params> field(const char* name, T Params::* member) {
  return {name, [member](Params& p, float value) {
            if constexpr (std::is_same_v<T, bool>) {
              p.*member = value != 0.0f;
            } else {
              p.*member = value;
            }
          }};
}
template <class Params>
Params with_options(Params params, const std::vector<Field<Params>>& fields, const OptimizerOptions& options,
                    const char* optimizer) {
  for (const auto& [key, value] : options) {
    const auto it = std::find_if(fields.begin(), fields.end(), [&](const Field<Params>& f) { return key == f.name; });
    if (it == fields.end()) {
      std::string names;
      for (const Field<Params>& f : fields) names += (names.empty() ? "" : ", ") + std::string(f.name);
      throw Error(std::string(optimizer) + ": no hyper-parameter '" + key + "' (it has: " + names + ")");
    }
    it->set(params, value);
  }
  return params;
}

}  // namespace optimizer_unit

// One factory per kernel rule, defined by that rule's unit (engine/src/optimizers/<field>.cpp).
namespace optimizer_factories {
#define ENGINE_DECLARE_OPTIMIZER_FACTORY(R, field) \
  std::unique_ptr<Optimizer> make_##field(const ParameterStore& store, const OptimizerOptions& options);
KERNELS_OPTIMIZER_RULES(ENGINE_DECLARE_OPTIMIZER_FACTORY)
#undef ENGINE_DECLARE_OPTIMIZER_FACTORY
}  // namespace optimizer_factories

}  // namespace engine
