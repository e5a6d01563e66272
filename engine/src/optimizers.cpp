#include "engine/optimizers.h"

#include <cstring>

#include "engine/ops.h"
#include "engine/serialize.h"

namespace engine {
namespace {

constexpr char kStateMagic[8] = {'E', 'N', 'G', 'O', 'P', 'T', 'I', 'M'};

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

// An optimizer's state is laid out for the store it was made for: stepping another one would read
// and write past its buffers.
void require_same_layout(const ParameterStore& store, const DeviceArray<float>& state, std::size_t groups,
                         const char* optimizer) {
  ENGINE_CHECK(store.finalized() && flat_size(store) == state.size() && store.groups().size() == groups &&
                   store.device() == state.device(),
               optimizer, ": the parameter store does not have the layout this optimizer was created for");
}

}  // namespace

// Padding elements are zero in both flat buffers, so whole-range passes are exact.
void add_l2_gradient(ParameterStore& store, const std::string& group, float lambda) {
  for (const GroupRange& range : store.groups()) {
    if (range.name == group) ops::axpy(lambda, store.group_values(range), store.group_grads(range));
  }
}

double l2_penalty(const ParameterStore& store, const std::string& group, float lambda) {
  DeviceAccumulator squares(store.device());
  for (const GroupRange& range : store.groups()) {
    if (range.name == group) ops::sum_of_squares(store.group_values(range), squares);
  }
  return 0.5 * static_cast<double>(lambda) * squares.read();
}

// ---- Optimizer -------------------------------------------------------------------------------

Optimizer::Optimizer(const ParameterStore& store) {
  ENGINE_CHECK(store.finalized(), "optimizer created before ParameterStore::finalize()");
  for (const GroupRange& g : store.groups()) group_names_.push_back(g.name);
  l2_.assign(group_names_.size(), 0.0f);
}

std::size_t Optimizer::group_index(const std::string& group) const {
  for (std::size_t i = 0; i < group_names_.size(); ++i) {
    if (group_names_[i] == group) return i;
  }
  throw Error("optimizer: no parameter group named '" + group + "'");
}

std::size_t Optimizer::group_of(const ParameterStore& store, ParameterId id) const {
  return group_index(store.info(id).group);
}

void Optimizer::set_l2(const std::string& group, float coefficient) { l2_[group_index(group)] = coefficient; }

kernels::WeightUpdate Optimizer::update_for(ParameterStore&, ParameterId) {
  throw Error(name() + ": this optimizer cannot update parameters inside the products (use step())");
}

// Padding elements hold zero weights, gradients and state: every rule leaves them at zero.
void Optimizer::step_parameter(ParameterStore& store, ParameterId id) {
  const kernels::WeightUpdate update = update_for(store, id);
  const TensorView values = store.value(id);
  backend_for(store.device()).apply_update(values.data(), store.grad(id).data(), values.rows() * values.ld(), update);
}

template <class Params>
GroupSettings<Params>::GroupSettings(const ParameterStore& store, const Params& defaults) {
  ENGINE_CHECK(store.finalized(), "optimizer created before ParameterStore::finalize()");
  for (const GroupRange& g : store.groups()) {
    names_.push_back(g.name);
    per_group_.push_back(defaults);
  }
}

template <class Params>
Params& GroupSettings<Params>::settings(const std::string& group) {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == group) return per_group_[i];
  }
  throw Error("optimizer: no parameter group named '" + group + "'");
}

template class GroupSettings<kernels::SgdParams>;
template class GroupSettings<kernels::AdamParams>;
template class GroupSettings<kernels::RpropParams>;

// ---- SGD --------------------------------------------------------------------------------------

Sgd::Sgd(const ParameterStore& store, const kernels::SgdParams& defaults)
    : Optimizer(store),
      groups_(store, defaults), velocity_(DeviceArray<float>::zeros(flat_size(store), store.device())) {}

// The group's rule with its L2 term riding on the coupled decay; state from flat element `offset` on.
kernels::WeightUpdate Sgd::group_update(std::size_t group, std::int64_t offset) {
  kernels::SgdParams params = groups_.at(group);
  params.weight_decay += l2_at(group);
  kernels::WeightUpdate update = kernels::WeightUpdate::sgd_step(params, velocity_.data() + offset);
  update.skip_untouched_rows = lazy();
  return update;
}

void Sgd::step(ParameterStore& store) {
  require_same_layout(store, velocity_, groups_.size(), "sgd");
  Backend& backend = backend_for(store.device());
  for (std::size_t g = 0; g < store.groups().size(); ++g) {
    const GroupRange& range = store.groups()[g];
    backend.apply_update(store.group_values(range).data(), store.group_grads(range).data(), range.size,
                         group_update(g, range.offset));
  }
}

kernels::WeightUpdate Sgd::update_for(ParameterStore& store, ParameterId id) {
  require_same_layout(store, velocity_, groups_.size(), "sgd");
  return group_update(group_of(store, id), store.info(id).offset);
}

void Sgd::save_state(std::ostream& out) const {
  write_state_header(out, name());
  write_array(out, velocity_);
}

void Sgd::load_state(std::istream& in) {
  read_state_header(in, name());
  velocity_.copy_from_host(read_array(in, velocity_, "sgd velocity"));
}

// ---- Adam / AdamW -----------------------------------------------------------------------------

Adam::Adam(const ParameterStore& store, const kernels::AdamParams& defaults)
    : Optimizer(store),
      groups_(store, defaults),
      m_(DeviceArray<float>::zeros(flat_size(store), store.device())),
      v_(DeviceArray<float>::zeros(flat_size(store), store.device())) {}

// This step's constants for the group, the L2 term added to the coupled decay (AdamW keeps its decoupled
// decay apart); moments from flat element `offset` on.
kernels::WeightUpdate Adam::group_update(std::size_t group, std::int64_t offset) {
  ENGINE_CHECK(step_ >= 1, "adam: begin_step() must come before the first update");
  kernels::AdamParams params = groups_.at(group);
  params.step = step_;
  kernels::WeightUpdate update = kernels::WeightUpdate::adam_step(params, m_.data() + offset, v_.data() + offset);
  update.adam.coupled_decay += l2_at(group);
  update.skip_untouched_rows = lazy();
  return update;
}

void Adam::step(ParameterStore& store) {
  require_same_layout(store, m_, groups_.size(), "adam");
  begin_step();
  Backend& backend = backend_for(store.device());
  for (std::size_t g = 0; g < store.groups().size(); ++g) {
    const GroupRange& range = store.groups()[g];
    backend.apply_update(store.group_values(range).data(), store.group_grads(range).data(), range.size,
                         group_update(g, range.offset));
  }
}

kernels::WeightUpdate Adam::update_for(ParameterStore& store, ParameterId id) {
  require_same_layout(store, m_, groups_.size(), "adam");
  return group_update(group_of(store, id), store.info(id).offset);
}

void Adam::save_state(std::ostream& out) const {
  write_state_header(out, name());
  serialize::write_pod(out, step_);
  write_array(out, m_);
  write_array(out, v_);
}

// Reads everything before changing anything: a bad record leaves the optimizer as it was.
void Adam::load_state(std::istream& in) {
  read_state_header(in, name());
  const auto step = serialize::read_pod<std::int64_t>(in, "adam step");
  const std::vector<float> m = read_array(in, m_, "adam first moment");
  const std::vector<float> v = read_array(in, v_, "adam second moment");
  step_ = step;
  m_.copy_from_host(m);
  v_.copy_from_host(v);
}

// ---- iRprop- ----------------------------------------------------------------------------------

Rprop::Rprop(const ParameterStore& store, const kernels::RpropParams& defaults, float initial_step)
    : Optimizer(store),
      groups_(store, defaults),
      previous_grads_(DeviceArray<float>::zeros(flat_size(store), store.device())),
      step_sizes_(flat_size(store), store.device()) {
  if (!step_sizes_.empty()) backend_for(store.device()).fill(step_sizes_.data(), step_sizes_.size(), initial_step);
}

void Rprop::step(ParameterStore& store) {
  require_same_layout(store, step_sizes_, groups_.size(), "rprop");
  Backend& backend = backend_for(store.device());
  for (std::size_t g = 0; g < store.groups().size(); ++g) {
    const GroupRange& range = store.groups()[g];
    if (l2_at(g) != 0.0f) backend.axpy(l2_at(g), store.group_values(range).data(), store.group_grads(range).data(), range.size);
    backend.rprop_update(store.group_values(range).data(), store.group_grads(range).data(),
                         previous_grads_.data() + range.offset, step_sizes_.data() + range.offset, range.size,
                         groups_.at(g));
  }
}

void Rprop::save_state(std::ostream& out) const {
  write_state_header(out, name());
  write_array(out, previous_grads_);
  write_array(out, step_sizes_);
}

void Rprop::load_state(std::istream& in) {
  read_state_header(in, name());
  const std::vector<float> previous = read_array(in, previous_grads_, "rprop previous gradients");
  const std::vector<float> steps = read_array(in, step_sizes_, "rprop step sizes");
  previous_grads_.copy_from_host(previous);
  step_sizes_.copy_from_host(steps);
}

}  // namespace engine
