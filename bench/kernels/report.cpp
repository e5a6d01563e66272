#include "report.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>

#include "svg_chart.h"

namespace bench {
namespace {

std::string format(double value, const char* spec = "%.3g") {
  if (!std::isfinite(value)) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, spec, value);
  return buffer;
}

std::string shape_label(const Measurement& m) { return m.problem + " k=" + std::to_string(m.size.k); }

Json settings_json(const RunSettings& s) {
  return {{"warmup", s.warmup},
          {"repeats", s.repeats},
          {"rotation", s.rotation},
          {"dense_gemm_max_bytes", static_cast<std::int64_t>(s.dense_gemm_max_bytes)}};
}

Json measurement_json(const Measurement& m) {
  return {{"problem", m.problem},
          {"rows", m.size.rows},
          {"cols", m.size.cols},
          {"nnz", m.size.nnz},
          {"k", m.size.k},
          {"op", m.op},
          {"implementation", m.implementation},
          {"device", m.device},
          {"ms_median", m.ms},
          {"ms_min", m.ms_min},
          {"repeats", m.repeats},
          {"gflops", m.gflops},
          {"gbytes_per_s", m.gbytes_per_s},
          {"copy_bandwidth_fraction", m.copy_fraction},  // NaN (no copy reference) is written as null
          {"check_passed", m.check.passed()},
          {"check_worst_error_over_bound", m.check.worst},
          {"check_entries", m.check.checked},
          {"note", m.note}};
}

// Median ms of the fastest implementation whose name starts with `prefix`, per (shape, op).
std::map<std::pair<std::string, std::string>, double> fastest(const std::vector<Measurement>& results,
                                                              const std::string& prefix) {
  std::map<std::pair<std::string, std::string>, double> best;
  for (const Measurement& m : results) {
    if (m.implementation.rfind(prefix, 0) != 0) continue;
    const auto key = std::make_pair(shape_label(m), m.op);
    const auto it = best.find(key);
    if (it == best.end() || m.ms < it->second) best[key] = m.ms;
  }
  return best;
}

std::vector<std::string> shapes_of(const std::vector<Measurement>& results, const std::string& device) {
  std::vector<std::string> shapes;
  for (const Measurement& m : results) {
    if (m.device == device && (shapes.empty() || shapes.back() != shape_label(m))) shapes.push_back(shape_label(m));
  }
  return shapes;
}

BarChart cpu_gflops_chart(const KernelReport& report) {
  BarChart chart{"CPU kernels: GFLOP/s (2 nnz k / time)", "GFLOP/s", shapes_of(report.results, "cpu"), {}, 0.0};
  for (const std::string op : {"spmm", "spmm_transposed", "sddmm", "sddmm_squared_error"}) {
    BarSeries series{op, std::vector<double>(chart.categories.size(), NAN)};
    for (const Measurement& m : report.results) {
      if (m.device != "cpu" || m.op != op) continue;
      for (std::size_t c = 0; c < chart.categories.size(); ++c)
        if (chart.categories[c] == shape_label(m)) series.values[c] = m.gflops;
    }
    chart.series.push_back(series);
  }
  return chart;
}

BarChart cuda_speedup_chart(const KernelReport& report) {
  BarChart chart{"CUDA: speed-up of our kernels over the best cuSPARSE algorithm", "cuSPARSE time / our time",
                 shapes_of(report.results, "cuda"), {}, 1.0};
  const auto ours = fastest(report.results, "ours");
  const auto vendor = fastest(report.results, "cusparse");
  for (const std::string op : {"spmm", "spmm_transposed", "sddmm"}) {
    BarSeries series{op, {}};
    for (const std::string& shape : chart.categories) {
      const auto o = ours.find({shape, op});
      const auto v = vendor.find({shape, op});
      series.values.push_back(o != ours.end() && v != vendor.end() ? v->second / o->second : NAN);
    }
    chart.series.push_back(series);
  }
  return chart;
}

}  // namespace

void print_table(std::ostream& out, const KernelReport& report) {
  out << "Machine: " << machine_summary(report.machine) << "\n";
  if (report.copy_gbytes_per_s > 0) out << "Device copy bandwidth (D2D memcpy): " << format(report.copy_gbytes_per_s, "%.0f") << " GB/s\n";
  out << "\n| problem | nnz | k | op | implementation | ms (median) | GFLOP/s | GB/s | of copy BW | check | note |\n"
      << "|---|---:|---:|---|---|---:|---:|---:|---:|---|---|\n";
  for (const Measurement& m : report.results) {
    out << "| " << m.problem << " | " << m.size.nnz << " | " << m.size.k << " | " << m.op << " | " << m.implementation
        << " | " << format(m.ms, "%.4g") << " | " << format(m.gflops, "%.1f") << " | " << format(m.gbytes_per_s, "%.1f")
        << " | " << (std::isfinite(m.copy_fraction) ? format(100.0 * m.copy_fraction, "%.0f") + "%" : "-") << " | "
        << (m.check.passed() ? "ok" : "FAILED (" + format(m.check.worst) + "x bound)") << " | " << m.note << " |\n";
  }
}

void write_json(const std::string& path, const KernelReport& report) {
  Json json = {{"benchmark", "bench_kernels"},
               {"run_size", report.run_size},
               {"machine", machine_json(report.machine)},
               {"device_copy_gbytes_per_s", report.copy_gbytes_per_s},
               {"cpu_settings", settings_json(report.cpu_settings)},
               {"cuda_settings", settings_json(report.cuda_settings)},
               {"results", Json::array()}};
  for (const Measurement& m : report.results) json["results"].push_back(measurement_json(m));
  std::ofstream out(path);
  out << json.dump() << '\n';
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::vector<std::string> write_plots(const std::string& directory, const KernelReport& report) {
  std::vector<std::string> written;
  if (!shapes_of(report.results, "cpu").empty()) {
    written.push_back(directory + "/kernels_cpu_gflops.svg");
    write_svg(cpu_gflops_chart(report), written.back());
  }
  if (!shapes_of(report.results, "cuda").empty()) {
    written.push_back(directory + "/kernels_cuda_speedup.svg");
    write_svg(cuda_speedup_chart(report), written.back());
  }
  return written;
}

}  // namespace bench
