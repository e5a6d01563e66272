// Adagrad as one engine unit: its class, state, steps, checkpoint record and hyper-parameters, built by
// name ("adagrad") from the registry. With kernels/optimizer_rules/adagrad.h (the element rule) and its
// line in kernels/optimizer_rules.h, the whole optimizer: docs/embedding.md, "a new optimizer".
#include "../optimizer_unit.h"

namespace engine {
namespace {

using optimizer_unit::Field;

// Per-group hyper-parameters (the rule's own), and the accumulator's starting value.
struct AdagradOptions {
  kernels::AdagradParams rule;
  float initial_accumulator = 0.0f;
};

class Adagrad final : public Optimizer {
 public:
  Adagrad(const ParameterStore& store, const AdagradOptions& options)
      : Optimizer(store),
        settings_(group_count(), options.rule),
        sum_of_squares_(optimizer_unit::flat_size(store), store.device()) {
    if (!sum_of_squares_.empty()) {
      backend_for(store.device()).fill(sum_of_squares_.data(), sum_of_squares_.size(), options.initial_accumulator);
    }
  }

  std::string name() const override { return "adagrad"; }
  bool supports_fused_updates() const override { return true; }
  bool has_learning_rate() const override { return true; }
  void set_learning_rate(float rate) override {
    for (kernels::AdagradParams& s : settings_) s.learning_rate = rate;
  }

  void step(ParameterStore& store) override {
    optimizer_unit::require_same_layout(store, sum_of_squares_, settings_.size(), "adagrad");
    optimizer_unit::step_groups(store, [&](std::size_t g, std::int64_t offset) { return group_update(g, offset); });
  }

  FusedUpdate update_for(ParameterStore& store, ParameterId id) override {
    optimizer_unit::require_same_layout(store, sum_of_squares_, settings_.size(), "adagrad");
    return FusedUpdateAccess::wrap(group_update(group_of(store, id), store.info(id).offset));
  }

  void save_state(std::ostream& out) const override {
    optimizer_unit::write_state_header(out, name());
    optimizer_unit::write_array(out, sum_of_squares_);
  }

  void load_state(std::istream& in) override {
    optimizer_unit::read_state_header(in, name());
    sum_of_squares_.copy_from_host(optimizer_unit::read_array(in, sum_of_squares_, "adagrad sum of squares"));
  }

 private:
  // The group's rule with its L2 term riding on the coupled decay; state from flat element `offset` on.
  kernels::WeightUpdate group_update(std::size_t g, std::int64_t offset) {
    kernels::AdagradParams params = settings_[g];
    params.weight_decay += l2_at(g);
    kernels::WeightUpdate update = kernels::WeightUpdate::of<kernels::rules::Adagrad>(params, sum_of_squares_.data() + offset);
    update.skip_untouched_rows = lazy();
    return update;
  }

  std::vector<kernels::AdagradParams> settings_;
  DeviceArray<float> sum_of_squares_;
};

}  // namespace

std::unique_ptr<Optimizer> optimizer_factories::make_adagrad(const ParameterStore& store,
                                                             const OptimizerOptions& options) {
  static const std::vector<Field<AdagradOptions>> fields = {
      {"learning_rate", [](AdagradOptions& o, float v) { o.rule.learning_rate = v; }},
      {"epsilon", [](AdagradOptions& o, float v) { o.rule.epsilon = v; }},
      {"weight_decay", [](AdagradOptions& o, float v) { o.rule.weight_decay = v; }},
      optimizer_unit::field("initial_accumulator", &AdagradOptions::initial_accumulator)};
  const AdagradOptions parsed = optimizer_unit::with_options(AdagradOptions{}, fields, options, "adagrad");
  return std::make_unique<Adagrad>(store, parsed);
}

}  // namespace engine
