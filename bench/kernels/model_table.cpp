#include "model_table.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace bench {
namespace {

std::string milliseconds(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", seconds * 1e3);
  return buffer;
}

KernelShape shape_of(const HostSparse& a, int k) {
  KernelShape shape;
  shape.rows = a.rows;
  shape.cols = a.cols;
  shape.nnz = a.nnz();
  shape.k = k;
  for (std::size_t r = 0; r + 1 < a.offsets.size(); ++r) shape.row_lengths.push_back(a.offsets[r + 1] - a.offsets[r]);
  for (std::size_t c = 0; c + 1 < a.csc_offsets.size(); ++c) {
    shape.col_lengths.push_back(a.csc_offsets[c + 1] - a.csc_offsets[c]);
  }
  return shape;
}

// The fastest of our implementations of this op at this shape: "ours" on a GPU, "cpu" on the CPU.
const Measurement* measured_ours(const std::vector<Measurement>& measured, const ModeledOp& op) {
  const Measurement* best = nullptr;
  for (const Measurement& m : measured) {
    const bool ours = m.implementation.rfind("ours", 0) == 0 || m.implementation == "cpu";
    if (!ours || m.problem != op.problem || m.size.k != op.size.k || m.op != op.op) continue;
    if (best == nullptr || m.ms < best->ms) best = &m;
  }
  return best;
}

}  // namespace

std::vector<GpuSpec> gpu_specs(const std::string& names) {
  std::vector<GpuSpec> specs;
  std::stringstream list(names);
  for (std::string name; std::getline(list, name, ',');) specs.push_back(gpu_spec(name));
  if (specs.empty()) throw std::invalid_argument("--model: name at least one GPU (h100, a100)");
  return specs;
}

std::vector<ModeledOp> model_ops(const std::vector<GpuSpec>& gpus, const std::string& problem, const HostSparse& a,
                                 int k, const RunSettings& settings) {
  const KernelShape shape = shape_of(a, k);
  std::vector<ModeledOp> modeled;
  for (const Op op : all_ops()) {
    const std::string name = op_name(op);
    if (!op_selected(settings, name)) continue;
    ModeledOp row{problem, {shape.rows, shape.cols, shape.nnz, k}, name, {}};
    for (const GpuSpec& gpu : gpus) row.per_gpu.push_back(model_kernel(gpu, name, shape));
    modeled.push_back(std::move(row));
    if (name == "spmm") {  // the same product over a bf16 table (`--precision bf16`): modeled beside it
      ModeledOp bf16{problem, {shape.rows, shape.cols, shape.nnz, k}, "spmm_bf16", {}};
      for (const GpuSpec& gpu : gpus) bf16.per_gpu.push_back(model_kernel(gpu, "spmm_bf16", shape));
      modeled.push_back(std::move(bf16));
    }
  }
  return modeled;
}

void print_model_table(std::ostream& out, const std::vector<GpuSpec>& gpus, const std::vector<ModeledOp>& modeled,
                       const std::vector<Measurement>& measured) {
  out << "\nCost model of each op (bench/model/kernel_model.cpp; docs/benchmarks.md), beside our measured time:\n\n"
      << "| problem | k | op | compulsory MB | design MB |";
  for (const GpuSpec& gpu : gpus) out << ' ' << gpu.name << " model ms |";
  out << " measured ms (ours) | measured / " << gpus.front().name << " model |\n|---|---:|---|---:|---:|";
  for (std::size_t g = 0; g < gpus.size(); ++g) out << "---:|";
  out << "---:|---:|\n";
  for (const ModeledOp& op : modeled) {
    const KernelModel& first = op.per_gpu.front();
    out << "| " << op.problem << " | " << op.size.k << " | " << op.op << " | "
        << std::lround(first.compulsory_bytes / 1e6) << " | " << std::lround(first.design_bytes / 1e6) << " |";
    for (const KernelModel& model : op.per_gpu) out << ' ' << milliseconds(model.seconds) << " |";
    const Measurement* m = measured_ours(measured, op);
    if (m == nullptr) {
      out << " - | - |\n";
      continue;
    }
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.2f", m->ms / (first.seconds * 1e3));
    out << ' ' << m->ms << " (" << m->device << ") | " << ratio << " |\n";
  }
}

}  // namespace bench
