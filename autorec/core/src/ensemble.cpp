// The blended ensemble (ensemble.h): its record, predictions from the bound inputs, the blend fit.
#include "autorec/ensemble.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <numeric>

#include <unistd.h>

#include "autorec/error.h"
#include "autorec/evaluate.h"

namespace autorec {
namespace {

std::string member_prefix(std::size_t m) { return "member" + std::to_string(m + 1) + "."; }

std::int64_t parse_count(const ModelRecord& record, const std::string& key) {
  const std::string& text = record.setting(key);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  AUTOREC_CONFIG_CHECK(error == std::errc() && end == text.data() + text.size() && value >= 0, "model '",
                       record.kind, "': setting '", key, "' is not a count: '", text, "'");
  return value;
}

// Solves A x = b (n x n, row-major) by Gaussian elimination with partial pivoting; A is symmetric
// positive definite here (a ridge-regularised Gram matrix), so no pivot is zero.
std::vector<double> solve(std::vector<double> a, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < n; ++r) {
      if (std::abs(a[r * n + c]) > std::abs(a[pivot * n + c])) pivot = r;
    }
    for (std::size_t k = 0; k < n; ++k) std::swap(a[c * n + k], a[pivot * n + k]);
    std::swap(b[c], b[pivot]);
    for (std::size_t r = c + 1; r < n; ++r) {
      const double f = a[r * n + c] / a[c * n + c];
      for (std::size_t k = c; k < n; ++k) a[r * n + k] -= f * a[c * n + k];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> x(n);
  for (std::size_t r = n; r-- > 0;) {
    double s = b[r];
    for (std::size_t k = r + 1; k < n; ++k) s -= a[r * n + k] * x[k];
    x[r] = s / a[r * n + r];
  }
  return x;
}

}  // namespace

ModelRecord ensemble_record(const std::vector<ModelRecord>& members, bool with_baseline, std::int64_t rows,
                            std::int64_t inputs) {
  AUTOREC_CONFIG_CHECK(!members.empty(), "an ensemble needs at least one member");
  ModelRecord record;
  record.kind = kEnsembleKind;
  record.orientation = members.front().orientation;
  record.rows = rows;
  record.inputs = inputs;
  record.settings.emplace_back("members", std::to_string(members.size()));
  record.settings.emplace_back("baseline", with_baseline ? "yes" : "no");
  for (std::size_t m = 0; m < members.size(); ++m) {
    const ModelRecord& member = members[m];
    AUTOREC_CONFIG_CHECK(member.kind != kEnsembleKind, "an ensemble cannot hold an ensemble");
    const std::string prefix = member_prefix(m);
    record.settings.emplace_back(prefix + "kind", member.kind);
    record.settings.emplace_back(prefix + "orientation", orientation_name(member.orientation));
    record.settings.emplace_back(prefix + "rows", std::to_string(member.rows));
    record.settings.emplace_back(prefix + "inputs", std::to_string(member.inputs));
    for (const auto& [key, value] : member.settings) record.settings.emplace_back(prefix + key, value);
  }
  return record;
}

std::vector<ModelRecord> ensemble_members(const ModelRecord& record) {
  AUTOREC_CONFIG_CHECK(record.kind == kEnsembleKind, "not an ensemble record: '", record.kind, "'");
  const std::int64_t count = parse_count(record, "members");
  AUTOREC_CONFIG_CHECK(count >= 1 && count <= 64, "model 'ensemble': bad member count ", count);
  std::vector<ModelRecord> members(static_cast<std::size_t>(count));
  for (std::size_t m = 0; m < members.size(); ++m) {
    const std::string prefix = member_prefix(m);
    ModelRecord& member = members[m];
    member.kind = record.setting(prefix + "kind");
    member.orientation = parse_orientation(record.setting(prefix + "orientation"));
    member.rows = parse_count(record, prefix + "rows");
    member.inputs = parse_count(record, prefix + "inputs");
    for (const auto& [key, value] : record.settings) {
      if (key.rfind(prefix, 0) != 0) continue;
      const std::string field = key.substr(prefix.size());
      if (field != "kind" && field != "orientation" && field != "rows" && field != "inputs") {
        member.settings.emplace_back(field, value);
      }
    }
  }
  for (const auto& [key, value] : record.settings) {  // nothing but the fields above
    const bool member_field = key.rfind("member", 0) == 0 && key.find('.') != std::string::npos;
    AUTOREC_CONFIG_CHECK(member_field || key == "members" || key == "baseline", "model 'ensemble' has no setting '",
                         key, "'");
    if (member_field) {
      const std::int64_t index = std::atoll(key.c_str() + 6);
      AUTOREC_CONFIG_CHECK(index >= 1 && index <= count, "model 'ensemble': setting '", key,
                           "' names no member (it has ", count, ")");
    }
  }
  return members;
}

bool ensemble_has_baseline(const ModelRecord& record) {
  const std::string& value = record.setting("baseline");
  AUTOREC_CONFIG_CHECK(value == "yes" || value == "no", "model 'ensemble': setting 'baseline' is '", value,
                       "', not yes or no");
  return value == "yes";
}

EnsembleModel::EnsembleModel(const ModelRecord& record, engine::Device device)
    : EnsembleModel(record, {}, device) {}

EnsembleModel::EnsembleModel(const ModelRecord& record, std::vector<std::unique_ptr<RatingModel>> members,
                             engine::Device device)
    : record_(record), device_(device), with_baseline_(ensemble_has_baseline(record)) {
  const std::vector<ModelRecord> records = ensemble_members(record);
  if (members.empty()) {
    for (const ModelRecord& member : records) members.push_back(make_model(member, device));
  }
  AUTOREC_CONFIG_CHECK(members.size() == records.size(), "ensemble: ", members.size(), " members for a record of ",
                       records.size());
  for (std::size_t m = 0; m < members.size(); ++m) {
    AUTOREC_CONFIG_CHECK(members[m]->record() == records[m], "ensemble: member ", m + 1,
                         " does not match the ensemble's record");
  }
  members_ = std::move(members);
  blend_store_.declare("blend", 1, static_cast<std::int64_t>(members_.size()) + 2, "blend", engine::Init::Zeros);
  blend_store_.finalize(device, 0);
  set_blend(plain_average());
}

void EnsembleModel::train_batch(const RowBlock&, float, engine::DeviceAccumulator&, std::uint64_t,
                                engine::Optimizer*) {
  throw ConfigError("an ensemble is not trained by batches: its members are trained one by one, then the blend is "
                    "fitted on validation ratings (EnsembleModel::fit_blend)");
}

engine::ConstTensorView EnsembleModel::encode(const RowBlock&) {
  throw ConfigError("an ensemble has no single representation of a row to export; train and export a member "
                    "(--model item, user or mf) instead");
}

void EnsembleModel::bind_inputs(std::shared_ptr<const Ratings> inputs) {
  AUTOREC_CONFIG_CHECK(inputs && !inputs->empty(), "ensemble: bind_inputs needs training ratings");
  inputs_ = std::move(inputs);
  member_rows_.clear();
  std::shared_ptr<const engine::SparseMatrix> by_orientation[2];  // members of one orientation share it
  for (const auto& member : members_) {
    auto& matrix = by_orientation[member->orientation() == Orientation::ItemBased ? 0 : 1];
    if (!matrix) matrix = std::make_shared<const engine::SparseMatrix>(to_matrix(*inputs_, member->orientation()));
    member_rows_.push_back(matrix);
  }
  baseline_ = with_baseline_ ? std::make_unique<BiasBaseline>(BiasBaseline::fit(*inputs_)) : nullptr;
  transposed_rows_.assign(members_.size(), {});
}

void EnsembleModel::require_bound(const char* what) const {
  AUTOREC_CONFIG_CHECK(inputs_ != nullptr, "ensemble: ", what, " before bind_inputs()");
}

BlendWeights EnsembleModel::plain_average() const {
  const float share = 1.0f / static_cast<float>(members_.size() + (with_baseline_ ? 1 : 0));
  BlendWeights weights;
  weights.members.assign(members_.size(), share);
  weights.baseline = with_baseline_ ? share : 0.0f;
  return weights;
}

std::vector<float> EnsembleModel::blend_vector() const {
  return blend_store_.value(blend_store_.find("blend")).to_host();
}

BlendWeights EnsembleModel::blend() const {
  const std::vector<float> v = blend_vector();
  return {v[0], v[1], std::vector<float>(v.begin() + 2, v.end())};
}

void EnsembleModel::set_blend(const BlendWeights& weights) {
  AUTOREC_CONFIG_CHECK(weights.members.size() == members_.size(), "ensemble: ", weights.members.size(),
                       " blend weights for ", members_.size(), " members");
  std::vector<float> v = {weights.intercept, with_baseline_ ? weights.baseline : 0.0f};
  v.insert(v.end(), weights.members.begin(), weights.members.end());
  blend_store_.value(blend_store_.find("blend")).copy_from_host(v);
}

std::vector<std::vector<float>> EnsembleModel::member_predictions(const Ratings& queries, float default_rating) {
  require_bound("predicting");
  const PredictionRules rules{default_rating, inputs_->min_rating, inputs_->max_rating};
  std::vector<std::vector<float>> predictions;
  for (std::size_t m = 0; m < members_.size(); ++m) {
    predictions.push_back(predict_pairs(*members_[m], *member_rows_[m], queries, rules));
  }
  if (baseline_) predictions.push_back(baseline_->predict_all(queries, rules.clip_min, rules.clip_max));
  return predictions;
}

void EnsembleModel::predict_at(const RowBlock& block, const engine::SparseMatrix& pattern, engine::TensorView out) {
  require_bound("predict_at");
  const bool item_rows = orientation() == Orientation::ItemBased;
  const auto offsets = pattern.csr_offsets_host();
  const auto indices = pattern.csr_indices_host();
  // The block's pattern as (user, item) queries; every pair is warm (the caller filtered cold ones).
  Ratings queries;
  queries.user_ids = inputs_->user_ids;
  queries.item_ids = inputs_->item_ids;
  queries.reserve(indices.size());
  for (std::size_t r = 0; r < block.rows.size(); ++r) {
    for (auto p = offsets[r]; p < offsets[r + 1]; ++p) {
      const auto row = static_cast<std::int32_t>(block.rows[r]), col = static_cast<std::int32_t>(indices[p]);
      queries.push_back(item_rows ? col : row, item_rows ? row : col, 0.0f);
    }
  }
  const std::vector<std::vector<float>> parts = member_predictions(queries, 0.5f * (inputs_->min_rating + inputs_->max_rating));
  const std::vector<float> w = blend_vector();
  std::vector<float> blended(queries.size(), w[0]);
  for (std::size_t m = 0; m < members_.size(); ++m) {
    for (std::size_t q = 0; q < blended.size(); ++q) blended[q] += w[m + 2] * parts[m][q];
  }
  if (baseline_) {
    for (std::size_t q = 0; q < blended.size(); ++q) blended[q] += w[1] * parts.back()[q];
  }
  out.copy_from_host(blended);
}

void EnsembleModel::predict_rows(const RowBlock& block, engine::TensorView out) {
  require_bound("predict_rows");
  const bool item_rows = orientation() == Orientation::ItemBased;
  const std::int64_t cols = n_inputs();
  const std::size_t n = block.rows.size() * static_cast<std::size_t>(cols);
  const float lo = inputs_->min_rating, hi = inputs_->max_rating;
  const std::vector<float> w = blend_vector();
  std::vector<float> blended(n, w[0]);
  for (std::size_t m = 0; m < members_.size(); ++m) {
    RatingModel& member = *members_[m];
    const float weight = w[m + 2];
    if (member.orientation() == orientation()) {
      engine::Tensor scores(static_cast<std::int64_t>(block.rows.size()), cols, member.parameters().device());
      member.predict_rows(block, scores);
      const std::vector<float> host = scores.to_host();
      for (std::size_t k = 0; k < n; ++k) blended[k] += weight * std::clamp(host[k], lo, hi);
      continue;
    }
    // The other orientation: the member's rows are this block's columns and its columns this block's rows.
    const std::vector<float>& full = decoded_whole(m);
    if (!full.empty()) {  // its whole decoded matrix, read transposed
      const std::int64_t width = member_rows_[m]->cols();
      for (std::size_t r = 0; r < block.rows.size(); ++r) {
        for (std::int64_t c = 0; c < cols; ++c) {
          const float value = full[static_cast<std::size_t>(c * width + block.rows[r])];
          blended[r * static_cast<std::size_t>(cols) + static_cast<std::size_t>(c)] += weight * std::clamp(value, lo, hi);
        }
      }
      continue;
    }
    const std::vector<float> part = decoded_columns(m, block.rows);  // (member rows = cols, block rows)
    for (std::size_t r = 0; r < block.rows.size(); ++r) {
      for (std::int64_t c = 0; c < cols; ++c) {
        const float value = part[static_cast<std::size_t>(c) * block.rows.size() + r];
        blended[r * static_cast<std::size_t>(cols) + static_cast<std::size_t>(c)] += weight * std::clamp(value, lo, hi);
      }
    }
  }
  if (baseline_) {
    for (std::size_t r = 0; r < block.rows.size(); ++r) {
      for (std::int64_t c = 0; c < cols; ++c) {
        const auto row = static_cast<std::int32_t>(block.rows[r]), col = static_cast<std::int32_t>(c);
        const float b = std::clamp(baseline_->predict(item_rows ? col : row, item_rows ? row : col), lo, hi);
        blended[r * static_cast<std::size_t>(cols) + static_cast<std::size_t>(c)] += w[1] * b;
      }
    }
  }
  out.copy_from_host(blended);
}

const std::vector<float>& EnsembleModel::decoded_whole(std::size_t m) {
  std::vector<float>& kept = transposed_rows_[m];
  const engine::SparseMatrix& rows = *member_rows_[m];
  const auto bytes = static_cast<std::size_t>(rows.rows()) * static_cast<std::size_t>(rows.cols()) * sizeof(float);
  std::size_t kept_bytes = 0;  // by every member: the limit is the ensemble's
  for (const std::vector<float>& other : transposed_rows_) kept_bytes += other.size() * sizeof(float);
  if (!kept.empty() || kept_bytes + bytes > transposed_cache_limit_) return kept;  // kept, or too large to keep
  RatingModel& member = *members_[m];
  const std::int64_t width = rows.cols();
  std::vector<float> full(bytes / sizeof(float));  // kept only once whole: a failure leaves nothing half-filled
  const engine::Device device = member.parameters().device();
  for (std::int64_t begin = 0; begin < rows.rows(); begin += 256) {
    std::vector<engine::index_t> ids(static_cast<std::size_t>(std::min<std::int64_t>(256, rows.rows() - begin)));
    std::iota(ids.begin(), ids.end(), static_cast<engine::index_t>(begin));
    engine::Tensor scores(static_cast<std::int64_t>(ids.size()), width, device);
    member.predict_rows(RowBlock{rows.slice_rows(ids).to(device), ids}, scores);
    const std::vector<float> host = scores.to_host();
    std::copy(host.begin(), host.end(), full.begin() + begin * width);
  }
  kept = std::move(full);
  return kept;
}

std::vector<float> EnsembleModel::decoded_columns(std::size_t m, std::span<const engine::index_t> columns) {
  RatingModel& member = *members_[m];
  const engine::SparseMatrix& rows = *member_rows_[m];
  // A pattern's rows list distinct columns in ascending order: `sorted` holds the block's rows so, and
  // `slot` where each of them (a row given twice included) sits there.
  std::vector<engine::index_t> sorted(columns.begin(), columns.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<std::size_t> slot(columns.size());
  for (std::size_t j = 0; j < columns.size(); ++j) {
    slot[j] = static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), columns[j]) - sorted.begin());
  }
  const auto u = static_cast<std::int64_t>(sorted.size()), b = static_cast<std::int64_t>(columns.size());
  const std::int64_t chunk = std::max<std::int64_t>(1, pairs_per_call_ / std::max<std::int64_t>(u, 1));
  const engine::Device device = member.parameters().device();
  std::vector<float> out(static_cast<std::size_t>(rows.rows() * b));
  for (std::int64_t begin = 0; begin < rows.rows(); begin += chunk) {
    const std::int64_t n = std::min(chunk, rows.rows() - begin);
    std::vector<engine::index_t> ids(static_cast<std::size_t>(n));
    std::iota(ids.begin(), ids.end(), static_cast<engine::index_t>(begin));
    std::vector<engine::offset_t> offsets(static_cast<std::size_t>(n + 1));
    for (std::int64_t i = 0; i <= n; ++i) offsets[static_cast<std::size_t>(i)] = i * u;
    std::vector<engine::index_t> indices;
    indices.reserve(static_cast<std::size_t>(n * u));
    for (std::int64_t i = 0; i < n; ++i) indices.insert(indices.end(), sorted.begin(), sorted.end());
    const engine::SparseMatrix pattern = engine::SparseMatrix::from_csr(
        static_cast<engine::index_t>(n), rows.cols(), std::move(offsets), std::move(indices),
        std::vector<float>(static_cast<std::size_t>(n * u)), device);
    engine::Tensor scores(1, pattern.nnz(), device);
    member.predict_at(RowBlock{rows.slice_rows(ids).to(device), ids}, pattern, scores);
    const std::vector<float> host = scores.to_host();
    for (std::int64_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < slot.size(); ++j) {
        out[static_cast<std::size_t>((begin + i) * b) + j] = host[static_cast<std::size_t>(i * u) + slot[j]];
      }
    }
  }
  return out;
}

std::size_t EnsembleModel::default_transposed_cache_limit() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
  std::size_t memory = pages > 0 && page_size > 0 ? static_cast<std::size_t>(pages) * static_cast<std::size_t>(page_size) : 0;
  // A container's own limit (cgroup v2), when it is below the machine's.
  std::ifstream cgroup("/sys/fs/cgroup/memory.max");
  std::size_t limit = 0;
  if (cgroup >> limit && limit > 0) memory = std::min(memory, limit);
  return std::min<std::size_t>(std::size_t{8} << 30, memory / 4);
}

void EnsembleModel::set_transposed_cache_limit(std::size_t bytes, std::int64_t pairs_per_call) {
  transposed_cache_limit_ = bytes;
  pairs_per_call_ = std::max<std::int64_t>(1, pairs_per_call);
  transposed_rows_.assign(members_.size(), {});
}

BlendWeights EnsembleModel::fit_blend(const Ratings& truth, float default_rating, double ridge) {
  require_bound("fit_blend");
  AUTOREC_CONFIG_CHECK(ridge >= 0, "ensemble: ridge must be non-negative");
  const std::vector<std::vector<float>> x = member_predictions(truth, default_rating);
  // Pairs whose user or item has no bound rating get the default whatever the blend: left out.
  std::vector<bool> user_known(static_cast<std::size_t>(inputs_->n_users())), item_known(static_cast<std::size_t>(inputs_->n_items()));
  for (std::size_t r = 0; r < inputs_->size(); ++r) {
    user_known[static_cast<std::size_t>(inputs_->users[r])] = true;
    item_known[static_cast<std::size_t>(inputs_->items[r])] = true;
  }
  std::vector<std::size_t> warm;
  for (std::size_t q = 0; q < truth.size(); ++q) {
    const auto u = static_cast<std::size_t>(truth.users[q]), i = static_cast<std::size_t>(truth.items[q]);
    if (u < user_known.size() && user_known[u] && i < item_known.size() && item_known[i]) warm.push_back(q);
  }
  BlendWeights weights = plain_average();
  const std::size_t k = x.size();
  if (warm.size() < 2 * k + 2) {  // too few to fit: keep the plain average
    set_blend(weights);
    return weights;
  }
  // Centred normal equations, shrunk toward the plain average (w0): (X'X + a I) w = X'y + a w0.
  std::vector<double> mean(k, 0.0);
  double y_mean = 0.0;
  for (const std::size_t q : warm) {
    for (std::size_t f = 0; f < k; ++f) mean[f] += x[f][q];
    y_mean += truth.values[q];
  }
  const auto count = static_cast<double>(warm.size());
  for (double& m : mean) m /= count;
  y_mean /= count;
  std::vector<double> gram(k * k, 0.0), rhs(k, 0.0), w0(k, 1.0 / static_cast<double>(k));
  for (const std::size_t q : warm) {
    const double y = truth.values[q] - y_mean;
    for (std::size_t f = 0; f < k; ++f) {
      const double xf = x[f][q] - mean[f];
      rhs[f] += xf * y;
      for (std::size_t g = 0; g < k; ++g) gram[f * k + g] += xf * (x[g][q] - mean[g]);
    }
  }
  const double a = ridge * count;
  for (std::size_t f = 0; f < k; ++f) {
    gram[f * k + f] += a + 1e-9 * count;  // the tiny term keeps identical members solvable with ridge 0
    rhs[f] += a * w0[f];
  }
  const std::vector<double> solved = solve(gram, rhs);
  double intercept = y_mean;
  for (std::size_t f = 0; f < k; ++f) intercept -= solved[f] * mean[f];
  weights.intercept = static_cast<float>(intercept);
  for (std::size_t m = 0; m < members_.size(); ++m) weights.members[m] = static_cast<float>(solved[m]);
  if (baseline_) weights.baseline = static_cast<float>(solved.back());
  set_blend(weights);
  return weights;
}

}  // namespace autorec
