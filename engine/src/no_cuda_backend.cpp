// Linked when the engine is built without the CUDA backend.
#include "backend_factories.h"
#include "engine/error.h"

namespace engine::detail {

std::unique_ptr<Backend> make_cuda_backend(int /*ordinal*/) {
  throw Error("this build has no CUDA backend (configure with a CUDA toolkit and AUTOREC_ENABLE_CUDA=ON)");
}

bool probe_cuda(std::string& reason) {
  reason = "built without the CUDA backend";
  return false;
}

}  // namespace engine::detail
