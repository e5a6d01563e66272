// The Optimizer base, the L2 helpers, the registry and what the optimizer units share. Each optimizer
// lives in its own unit, engine/src/optimizers/<name>.cpp.
#include "engine/optimizers.h"

#include <algorithm>
#include <mutex>

#include "engine/internal/backend.h"
#include "engine/ops.h"
#include "engine/serialize.h"
#include "optimizer_unit.h"

namespace engine {

// Padding elements are zero in both flat buffers, so whole-range passes are exact. An unknown group is
// an error (a misspelled group would otherwise regularise nothing, silently).
void add_l2_gradient(ParameterStore& store, const std::string& group, float lambda) {
  bool found = false;
  for (const GroupRange& range : store.groups()) {
    if (range.name != group) continue;
    found = true;
    ops::axpy(lambda, store.group_values(range), store.group_grads(range));
  }
  ENGINE_REQUIRE(found, "add_l2_gradient: no parameter group named '", group, "'");
}

double l2_penalty(const ParameterStore& store, const std::string& group, float lambda) {
  DeviceAccumulator squares(store.device());
  bool found = false;
  for (const GroupRange& range : store.groups()) {
    if (range.name != group) continue;
    found = true;
    ops::sum_of_squares(store.group_values(range), squares);
  }
  ENGINE_REQUIRE(found, "l2_penalty: no parameter group named '", group, "'");
  return 0.5 * static_cast<double>(lambda) * squares.read();
}

// ---- what the units share ----------------------------------------------------------------------

namespace optimizer_unit {
namespace {
constexpr char kStateMagic[8] = {'E', 'N', 'G', 'O', 'P', 'T', 'I', 'M'};
}  // namespace

void write_state_header(std::ostream& out, const std::string& name) {
  serialize::write_bytes(out, kStateMagic, sizeof(kStateMagic));
  serialize::write_string(out, name);
}

void read_state_header(std::istream& in, const std::string& name) {
  char magic[sizeof(kStateMagic)];
  serialize::read_bytes(in, magic, sizeof(magic), "optimizer state");
  ENGINE_CHECK(std::memcmp(magic, kStateMagic, sizeof(magic)) == 0, "optimizer state: bad magic number");
  const std::string found = serialize::read_string(in, "optimizer name");
  ENGINE_CHECK(found == name, "optimizer state was saved by '", found, "', not '", name, "'");
}

void write_array(std::ostream& out, const DeviceArray<float>& array) { serialize::write_vector(out, array.to_host()); }

std::vector<float> read_array(std::istream& in, const DeviceArray<float>& array, const char* what) {
  return serialize::read_vector<float>(in, static_cast<std::size_t>(array.size()), what);
}

std::int64_t flat_size(const ParameterStore& store) {
  return store.groups().empty() ? 0 : store.groups().back().offset + store.groups().back().size;
}

void require_same_layout(const ParameterStore& store, const DeviceArray<float>& state, std::size_t groups,
                         const char* optimizer) {
  ENGINE_CHECK(store.finalized() && flat_size(store) == state.size() && store.groups().size() == groups &&
                   store.device() == state.device(),
               optimizer, ": the parameter store does not have the layout this optimizer was created for");
}

void apply_update(ParameterStore& store, const GroupRange& range, const kernels::WeightUpdate& update) {
  backend_for(store.device())
      .apply_update(store.group_values(range).data(), store.group_grads(range).data(), range.size, update);
}

}  // namespace optimizer_unit

// ---- Optimizer -------------------------------------------------------------------------------

Optimizer::Optimizer(const ParameterStore& store) {
  ENGINE_REQUIRE(store.finalized(), "optimizer created before ParameterStore::finalize()");
  for (const GroupRange& g : store.groups()) group_names_.push_back(g.name);
  l2_.assign(group_names_.size(), 0.0f);
}

std::size_t Optimizer::group_index(const std::string& group) const {
  std::size_t i = 0;
  while (i < group_names_.size() && group_names_[i] != group) ++i;
  ENGINE_REQUIRE(i < group_names_.size(), name(), ": no parameter group named '", group, "'");
  return i;
}

std::size_t Optimizer::group_of(const ParameterStore& store, ParameterId id) const {
  return group_index(store.info(id).group);
}

void Optimizer::set_l2(const std::string& group, float coefficient) { l2_[group_index(group)] = coefficient; }

void Optimizer::set_learning_rate(float) {
  ENGINE_FAIL_PRECONDITION(name(),
                           ": this optimizer has no learning rate to schedule (its step sizes adapt on their own)");
}

FusedUpdate Optimizer::update_for(ParameterStore&, ParameterId) {
  ENGINE_FAIL_PRECONDITION(name(), ": this optimizer cannot update parameters inside the products (use step())");
}

// Padding elements hold zero weights, gradients and state: every rule leaves them at zero.
void Optimizer::step_parameter(ParameterStore& store, ParameterId id) {
  const kernels::WeightUpdate update = FusedUpdateAccess::unwrap(update_for(store, id));
  const TensorView values = store.value(id);
  backend_for(store.device()).apply_update(values.data(), store.grad(id).data(), values.rows() * values.ld(), update);
}

// ---- the registry ------------------------------------------------------------------------------

namespace {

struct Registry {
  std::mutex mutex;
  std::vector<std::pair<std::string, OptimizerFactory>> factories;

  Registry() {
#define ENGINE_REGISTER_BUILT_IN(R, field) factories.emplace_back(kernels::rules::R::kName, &optimizer_factories::make_##field);
    KERNELS_OPTIMIZER_RULES(ENGINE_REGISTER_BUILT_IN)
#undef ENGINE_REGISTER_BUILT_IN
  }
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

std::unique_ptr<Optimizer> make_optimizer(const std::string& name, const ParameterStore& store,
                                          const OptimizerOptions& options) {
  OptimizerFactory factory;
  {
    Registry& r = registry();
    const std::lock_guard lock(r.mutex);
    const auto it = std::find_if(r.factories.begin(), r.factories.end(), [&](const auto& e) { return e.first == name; });
    if (it != r.factories.end()) factory = it->second;
  }
  if (!factory) {
    std::string known;
    for (const std::string& n : optimizer_names()) known += (known.empty() ? "" : ", ") + n;
    throw Error("no optimizer named '" + name + "' (known: " + known + ")");
  }
  return factory(store, options);
}

std::vector<std::string> optimizer_names() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& entry : r.factories) names.push_back(entry.first);
  return names;
}

void register_optimizer(const std::string& name, OptimizerFactory factory) {
  ENGINE_REQUIRE(factory != nullptr, "register_optimizer('", name, "'): no factory");
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  for (const auto& entry : r.factories) {
    ENGINE_REQUIRE(entry.first != name, "an optimizer named '", name, "' is already registered");
  }
  r.factories.emplace_back(name, std::move(factory));
}

}  // namespace engine
