#include "engine/parameters.h"

#include <cmath>
#include <cstring>
#include <istream>
#include <ostream>

#include "engine/internal/backend.h"
#include "engine/internal/kernel_views.h"
#include "engine/ops.h"
#include "engine/serialize.h"
#include "kernels/random.h"

namespace engine {
namespace {

constexpr std::int64_t kAlignFloats = 32;  // each parameter starts on a 128-byte line
constexpr char kMagic[8] = {'E', 'N', 'G', 'P', 'A', 'R', 'A', 'M'};
constexpr std::uint32_t kVersion = 1;

std::int64_t align_up(std::int64_t n) { return (n + kAlignFloats - 1) / kAlignFloats * kAlignFloats; }

// Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)); each element drawn from
// (seed, parameter id, element index) so the values do not depend on the device or the layout.
std::vector<float> initial_values(const ParameterInfo& p, ParameterId id, std::uint64_t seed) {
  std::vector<float> values(static_cast<std::size_t>(p.rows * p.cols), 0.0f);
  if (p.init == Init::Zeros) return values;
  const float limit = std::sqrt(6.0f / static_cast<float>(p.rows + p.cols));
  const std::uint64_t stream = kernels::mix64(seed, static_cast<std::uint64_t>(id));
  for (std::size_t e = 0; e < values.size(); ++e) {
    values[e] = (2.0f * kernels::uniform01(stream, e) - 1.0f) * limit;
  }
  return values;
}

}  // namespace

ParameterId ParameterStore::declare(std::string name, std::int64_t rows, std::int64_t cols, std::string group,
                                    Init init) {
  ENGINE_REQUIRE(!finalized_, "ParameterStore::declare('", name, "') after finalize()");
  ENGINE_REQUIRE(rows > 0 && cols > 0, "ParameterStore::declare('", name, "'): shape (", rows, ", ", cols,
               ") must be positive");
  for (const ParameterInfo& p : params_) {
    ENGINE_REQUIRE(p.name != name, "ParameterStore::declare: duplicate parameter name '", name, "'");
  }
  params_.push_back({std::move(name), rows, cols, std::move(group), init, 0, 0});
  return static_cast<ParameterId>(params_.size() - 1);
}

void ParameterStore::finalize(Device device, std::uint64_t seed) {
  ENGINE_REQUIRE(!finalized_, "ParameterStore::finalize() called twice");
  // Groups in order of first appearance; parameters of a group laid out contiguously.
  std::vector<std::string> group_names;
  for (const ParameterInfo& p : params_) {
    bool known = false;
    for (const std::string& g : group_names) known = known || g == p.group;
    if (!known) group_names.push_back(p.group);
  }
  total_ = 0;
  for (const std::string& g : group_names) {
    GroupRange range{g, total_, 0};
    for (ParameterInfo& p : params_) {
      if (p.group != g) continue;
      p.ld = padded_leading_dimension(p.cols);
      p.offset = total_;
      total_ += align_up(p.rows * p.ld);
    }
    range.size = total_ - range.offset;
    groups_.push_back(range);
  }
  values_ = DeviceArray<float>::zeros(total_, device);
  grads_.clear();
  grads_.resize(groups_.size());
  bf16_copies_.clear();
  bf16_stale_.clear();
  finalized_ = true;
  for (ParameterId id = 0; id < count(); ++id) {
    value(id).copy_from_host(initial_values(params_[static_cast<std::size_t>(id)], id, seed));
  }
}

const ParameterInfo& ParameterStore::info(ParameterId id) const {
  ENGINE_REQUIRE(id >= 0 && id < count(), "ParameterStore: no parameter with id ", id);
  return params_[static_cast<std::size_t>(id)];
}

ParameterId ParameterStore::find(const std::string& name) const {
  ParameterId id = 0;
  while (id < count() && params_[static_cast<std::size_t>(id)].name != name) ++id;
  ENGINE_REQUIRE(id < count(), "ParameterStore: no parameter named '", name, "'");
  return id;
}

TensorView ParameterStore::value_view(ParameterId id) const {
  const ParameterInfo& p = info(id);
  ENGINE_REQUIRE(finalized_, "ParameterStore: parameter '", p.name, "' used before finalize()");
  return {device(), {const_cast<float*>(values_.data()) + p.offset, p.rows, p.cols, p.ld}};
}

// A mutable value may be written by anyone: its bf16 copy (if any) is rebuilt before its next use.
TensorView ParameterStore::value(ParameterId id) {
  const TensorView view = value_view(id);
  if (has_bf16_copy(id)) bf16_stale_[static_cast<std::size_t>(id)] = 1;
  return view;
}

ConstTensorView ParameterStore::value(ParameterId id) const { return value_view(id); }

// ---- bf16 tables ----------------------------------------------------------------------------------

void ParameterStore::keep_bf16_copy(ParameterId id) {
  const ParameterInfo& p = info(id);
  ENGINE_REQUIRE(finalized_, "ParameterStore::keep_bf16_copy('", p.name, "') before finalize()");
  bf16_copies_.resize(params_.size());
  bf16_stale_.resize(params_.size(), 0);
  const auto i = static_cast<std::size_t>(id);
  if (bf16_copies_[i].size() != p.rows * p.ld) bf16_copies_[i] = DeviceArray<bfloat16>(p.rows * p.ld, device());
  rebuild_bf16_copy(id);
}

bool ParameterStore::has_bf16_copy(ParameterId id) const {
  const auto i = static_cast<std::size_t>(id);
  return i < bf16_copies_.size() && !bf16_copies_[i].empty();
}

void ParameterStore::rebuild_bf16_copy(ParameterId id) const {
  const ParameterInfo& p = info(id);
  const auto i = static_cast<std::size_t>(id);
  // The whole rows * ld block: padding holds zeros in the fp32 buffer, and so it does in the copy.
  backend_for(device()).round_to_bfloat16(values_.data() + p.offset,
                                          kernel_pointer(const_cast<bfloat16*>(bf16_copies_[i].data())), p.rows * p.ld);
  bf16_stale_[i] = 0;
  ++bf16_rebuilds_;
}

Bf16TableView ParameterStore::bf16_copy(ParameterId id) const {
  if (!has_bf16_copy(id)) return {};
  const auto i = static_cast<std::size_t>(id);
  if (bf16_stale_[i] != 0) rebuild_bf16_copy(id);
  const ParameterInfo& p = info(id);
  return {device(), {bf16_copies_[i].data(), p.rows, p.cols, p.ld}};
}

ParameterStore::FusedWrite ParameterStore::value_and_bf16_copy(ParameterId id) {
  if (!has_bf16_copy(id)) return {value(id), nullptr};
  const auto i = static_cast<std::size_t>(id);
  if (bf16_stale_[i] != 0) rebuild_bf16_copy(id);
  return {value_view(id), bf16_copies_[i].data()};
}

void ParameterStore::mark_bf16_copies_stale(std::int64_t offset, std::int64_t size) {
  for (std::size_t i = 0; i < bf16_copies_.size(); ++i) {
    const std::int64_t at = params_[i].offset;
    if (!bf16_copies_[i].empty() && at >= offset && at < offset + size) bf16_stale_[i] = 1;
  }
}

DeviceArray<float>& ParameterStore::gradient_buffer(std::size_t g) const {
  DeviceArray<float>& buffer = grads_.at(g);
  if (buffer.size() != groups_[g].size) buffer = DeviceArray<float>::zeros(groups_[g].size, device());
  return buffer;
}

TensorView ParameterStore::grad(ParameterId id) {
  const ParameterInfo& p = info(id);
  ENGINE_REQUIRE(finalized_, "ParameterStore: parameter '", p.name, "' used before finalize()");
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const GroupRange& range = groups_[g];
    if (p.offset >= range.offset && p.offset < range.offset + range.size) {
      return {device(), {gradient_buffer(g).data() + (p.offset - range.offset), p.rows, p.cols, p.ld}};
    }
  }
  ENGINE_FAIL_PRECONDITION("ParameterStore: parameter '", p.name, "' lies in no group");
}

TensorView ParameterStore::group_grads(const GroupRange& range) {
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (groups_[g].offset == range.offset && groups_[g].size == range.size) {
      return {device(), {gradient_buffer(g).data(), 1, range.size, range.size}};
    }
  }
  ENGINE_FAIL_PRECONDITION("ParameterStore: no group '", range.name, "' at offset ", range.offset);
}

ConstTensorView ParameterStore::grad(ParameterId id) const { return const_cast<ParameterStore*>(this)->grad(id); }

std::int64_t ParameterStore::element_count() const {
  std::int64_t n = 0;
  for (const ParameterInfo& p : params_) n += p.rows * p.cols;
  return n;
}

void ParameterStore::zero_grads() {
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    DeviceArray<float>& buffer = gradient_buffer(g);
    if (!buffer.empty()) backend_for(device()).zero(buffer.data(), buffer.bytes());
  }
}

void ParameterStore::copy_values_from(const ParameterStore& other) {
  bool same_layout = other.total_ == total_ && other.params_.size() == params_.size();
  for (std::size_t i = 0; same_layout && i < params_.size(); ++i) {
    same_layout = other.params_[i].rows == params_[i].rows && other.params_[i].cols == params_[i].cols &&
                  other.params_[i].offset == params_[i].offset;
  }
  ENGINE_REQUIRE(same_layout, "ParameterStore::copy_values_from: stores have different layouts");
  ops::copy(ConstTensorView(other.device(), {other.values_.data(), 1, total_, total_}), flat_values());
}

ParameterStore ParameterStore::clone() const {
  ENGINE_REQUIRE(finalized_, "ParameterStore::clone() before finalize()");
  ParameterStore copy;
  copy.params_ = params_;
  copy.groups_ = groups_;
  copy.total_ = total_;
  copy.values_ = values_.to(device());
  copy.grads_.resize(groups_.size());  // allocated only if the copy is ever trained
  copy.finalized_ = true;
  return copy;
}

void ParameterStore::save_values(std::ostream& out) const {
  serialize::write_bytes(out, kMagic, sizeof(kMagic));
  serialize::write_pod(out, kVersion);
  serialize::write_pod(out, static_cast<std::uint32_t>(params_.size()));
  for (ParameterId id = 0; id < count(); ++id) {
    const ParameterInfo& p = info(id);
    serialize::write_string(out, p.name);
    serialize::write_pod(out, p.rows);
    serialize::write_pod(out, p.cols);
    serialize::write_vector(out, value(id).to_host());
  }
}

void ParameterStore::load_values(std::istream& in) {
  char magic[sizeof(kMagic)];
  serialize::read_bytes(in, magic, sizeof(magic), "parameter record");
  ENGINE_CHECK(std::memcmp(magic, kMagic, sizeof(kMagic)) == 0, "parameter record: bad magic number");
  const auto version = serialize::read_pod<std::uint32_t>(in, "parameter record version");
  ENGINE_CHECK(version == kVersion, "parameter record: unsupported version ", version);
  const auto n = serialize::read_pod<std::uint32_t>(in, "parameter count");
  ENGINE_CHECK(n == params_.size(), "parameter record: holds ", n, " parameters, the model has ", params_.size());
  // Everything is read and checked before anything is overwritten: a bad record leaves the store as it was.
  std::vector<std::vector<float>> loaded;
  loaded.reserve(params_.size());
  for (ParameterId id = 0; id < count(); ++id) {
    const ParameterInfo& p = info(id);
    const std::string name = serialize::read_string(in, "parameter name");
    const auto rows = serialize::read_pod<std::int64_t>(in, "parameter rows");
    const auto cols = serialize::read_pod<std::int64_t>(in, "parameter cols");
    ENGINE_CHECK(name == p.name && rows == p.rows && cols == p.cols, "parameter record: found '", name, "' (", rows,
                 ", ", cols, ") where the model has '", p.name, "' (", p.rows, ", ", p.cols, ")");
    loaded.push_back(serialize::read_vector<float>(in, static_cast<std::size_t>(rows * cols), name.c_str()));
  }
  for (ParameterId id = 0; id < count(); ++id) value(id).copy_from_host(loaded[static_cast<std::size_t>(id)]);
}

}  // namespace engine
