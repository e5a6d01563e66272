// bench_kernels on the CPU backend (kernels::cpu): every op, checked, then timed with steady_clock.
#pragma once

#include <vector>

#include "measurement.h"
#include "operands.h"

namespace bench {

std::vector<Measurement> run_cpu(const HostOperands& operands, const RunSettings& settings);

}  // namespace bench
