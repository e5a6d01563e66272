// The CUDA memory controls of engine/cuda.h in a build without the CUDA backend: there is no
// device to ask, so they fail the same way backend_for(Device::cuda()) does.
#include "engine/cuda.h"
#include "engine/error.h"

namespace engine {

CudaMemoryStats cuda_memory_stats(int /*ordinal*/) {
  throw Error("cuda_memory_stats: this build has no CUDA backend");
}

void cuda_release_cached_memory(int /*ordinal*/) {
  throw Error("cuda_release_cached_memory: this build has no CUDA backend");
}

}  // namespace engine
