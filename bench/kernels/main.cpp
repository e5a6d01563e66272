// bench_kernels: every op of the engine on the CPU backend and, in CUDA builds on a machine with a
// GPU, our CUDA kernels against cuSPARSE / cuBLAS. See docs/benchmarks.md.
#include <omp.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cpu_runner.h"
#include "flags.h"
#include "model_table.h"
#include "report.h"
#ifdef BENCH_HAVE_CUDA
#include "cuda_bench.h"
#include "cuda_support.h"
#endif

namespace {

using namespace bench;

constexpr const char* kUsage = R"(usage: bench_kernels [--quick | --full] [--device cpu|cuda|auto] [--out DIR]
                     [--json FILE] [--ops spmm,sddmm,...] [--repeats N] [--model h100,a100]
  --quick    one small set (ML-1M shape, k=64, 3 repeats): seconds, for CI smoke tests
  --full     every shape and k (ML-10M on the CPU too; Netflix-sized on CUDA at all k)
  --device   cpu, cuda, or auto (default: cuda when a GPU is usable, else cpu)
  --out DIR  write kernels_<device>.json, kernels_<device>.md and the SVG plots into DIR
  --json F   write the JSON results to F (overrides the file under --out)
  --ops      comma-separated subset of: spmm spmm_transposed sddmm sddmm_squared_error
             bias_activation column_sums dense_gemm adam_update
  --model    GPUs of the cost model (h100, a100): every op's modeled time beside the measured one
)";

RunSize run_size(const Flags& flags) {
  if (flags.has("quick") && flags.has("full")) throw std::invalid_argument("--quick and --full exclude each other");
  return flags.has("quick") ? RunSize::Quick : flags.has("full") ? RunSize::Full : RunSize::Default;
}

std::string size_name(RunSize size) { return size == RunSize::Quick ? "quick" : size == RunSize::Full ? "full" : "default"; }

RunSettings settings_for(const Flags& flags, RunSize size, const std::string& device) {
  RunSettings s;
  const bool cpu = device == "cpu";
  s.warmup = size == RunSize::Quick ? 1 : 2;
  s.repeats = static_cast<int>(flags.integer("repeats", size == RunSize::Quick ? 3 : cpu ? 5 : 10));
  s.rotation = 3;
  // The dense GEMM is timed on a row block of X (32 MiB on the CPU, 1 GiB on the GPU) and scaled.
  s.dense_gemm_max_bytes = cpu ? std::int64_t{32} << 20 : std::int64_t{1} << 30;
  std::stringstream ops(flags.text("ops", ""));
  for (std::string op; std::getline(ops, op, ',');) s.op_filter.push_back(op);
  if (s.repeats < 1) throw std::invalid_argument("--repeats must be >= 1");
  return s;
}

std::string choose_device(const Flags& flags) {
  const std::string device = flags.text("device", "auto");
  if (device != "cpu" && device != "cuda" && device != "auto") throw std::invalid_argument("--device: cpu, cuda or auto");
#ifdef BENCH_HAVE_CUDA
  std::string why;
  const bool gpu = gpu_available(&why);
  if (device == "cuda" && !gpu) throw std::runtime_error("--device cuda: " + why);
  if (device == "auto") return gpu ? "cuda" : "cpu";
#else
  if (device == "cuda") throw std::runtime_error("--device cuda: this build has no CUDA (configure with a CUDA toolkit)");
  if (device == "auto") return "cpu";
#endif
  return device;
}

// Runs every problem of the set; with `gpus` non-empty also models each op at each shape.
void run_problems(const std::string& device, RunSize size, const RunSettings& settings,
                  const std::vector<GpuSpec>& gpus, KernelReport& report, std::vector<ModeledOp>& modeled) {
#ifdef BENCH_HAVE_CUDA
  std::unique_ptr<CudaBench> cuda;
  if (device == "cuda") {
    cuda = std::make_unique<CudaBench>();
    report.copy_gbytes_per_s = cuda->copy_gbytes_per_s();
    report.machine.gpu = gpu_name();
  }
#endif
  for (const Problem& problem : problem_set(size, device)) {
    std::cerr << "[bench_kernels] " << device << " " << problem.name << ": generating " << problem.pattern.nnz
              << " nonzeros\n";
    const HostSparse a = generate_pattern(problem.pattern);
    validate_pattern(a);
#ifdef BENCH_HAVE_CUDA
    if (cuda) cuda->load_pattern(a, dense_gemm_rows(a, settings.dense_gemm_max_bytes));
#endif
    for (const int k : problem.ks) {
      std::cerr << "[bench_kernels]   k=" << k << "\n";
      const HostOperands operands = make_operands(problem.name, a, k, settings.rotation);
#ifdef BENCH_HAVE_CUDA
      const std::vector<Measurement> results = cuda ? cuda->run(operands, settings) : run_cpu(operands, settings);
#else
      const std::vector<Measurement> results = run_cpu(operands, settings);
#endif
      report.results.insert(report.results.end(), results.begin(), results.end());
      if (!gpus.empty()) {
        const std::vector<ModeledOp> ops = model_ops(gpus, problem.name, a, k, settings);
        modeled.insert(modeled.end(), ops.begin(), ops.end());
      }
    }
  }
}

int run(int argc, char** argv) {
  const Flags flags(argc, argv, {"quick", "full", "help"}, {"device", "out", "json", "ops", "repeats", "model"});
  if (flags.has("help")) {
    std::cout << kUsage;
    return 0;
  }
  const RunSize size = run_size(flags);
  const std::string device = choose_device(flags);
  KernelReport report;
  report.machine = describe_machine();
  report.run_size = size_name(size);
  const RunSettings settings = settings_for(flags, size, device);
  (device == "cpu" ? report.cpu_settings : report.cuda_settings) = settings;
  const std::vector<GpuSpec> gpus = flags.has("model") ? gpu_specs(flags.text("model", "")) : std::vector<GpuSpec>{};
  std::vector<ModeledOp> modeled;
  run_problems(device, size, settings, gpus, report, modeled);

  print_table(std::cout, report);
  if (!gpus.empty()) print_model_table(std::cout, gpus, modeled, report.results);
  const std::string out_dir = flags.text("out", "");
  if (!out_dir.empty()) {
    std::filesystem::create_directories(out_dir);
    for (const std::string& file : write_plots(out_dir, report)) std::cerr << "[bench_kernels] wrote " << file << "\n";
    std::ofstream table(out_dir + "/kernels_" + device + ".md");
    print_table(table, report);
    if (!gpus.empty()) print_model_table(table, gpus, modeled, report.results);
  }
  const std::string json = flags.text("json", out_dir.empty() ? "" : out_dir + "/kernels_" + device + ".json");
  if (!json.empty()) {
    write_json(json, report);
    std::cerr << "[bench_kernels] wrote " << json << "\n";
  }
  for (const Measurement& m : report.results) {
    if (!m.check.passed()) {
      std::cerr << "[bench_kernels] FAILED reference check: " << m.problem << " k=" << m.size.k << " " << m.op << " "
                << m.implementation << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "bench_kernels: " << error.what() << "\n";
    return 2;
  }
}
