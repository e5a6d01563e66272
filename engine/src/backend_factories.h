// Internal: how backend_for() creates backends. The CPU factory is always built; the CUDA factory
// comes from engine/cuda/ (nvcc or SIMT emulation) or from no_cuda_backend.cpp.
#pragma once

#include <memory>
#include <string>

#include "engine/internal/backend.h"

namespace engine::detail {

std::unique_ptr<Backend> make_cpu_backend();
std::unique_ptr<Backend> make_cuda_backend(int ordinal);
// True when a CUDA device can be used; otherwise `reason` says why.
bool probe_cuda(std::string& reason);

}  // namespace engine::detail
