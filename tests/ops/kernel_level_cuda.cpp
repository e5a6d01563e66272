// The CUDA twins of kernel_level.h: host vectors copied to device memory through the CUDA runtime (the
// SIMT emulator's under KERNELS_SIMT, cudart on a GPU), the kernels::cuda launcher on the default
// stream, the results copied back (cudaMemcpy waits for the kernel).
// Include order matters under KERNELS_SIMT: standard headers first, then the platform, then the rest.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/cuda_platform.h"
// (the platform must stay above the kernels' other headers)
#include "kernel_level.h"
#include "kernels/cuda.h"

namespace opcases::kernel_level::cuda_twin {
namespace {

// A device copy of a host vector (or n zeroed elements), freed on scope exit.
template <class T>
class Buffer {
 public:
  explicit Buffer(std::size_t n) : n_(n) {
    if (n_ > 0) {
      KERNELS_CUDA_CHECK(cudaMalloc(&data_, n_ * sizeof(T)));
      KERNELS_CUDA_CHECK(cudaMemset(data_, 0, n_ * sizeof(T)));
    }
  }
  explicit Buffer(const std::vector<T>& host) : Buffer(host.size()) {
    if (n_ > 0) KERNELS_CUDA_CHECK(cudaMemcpy(data_, host.data(), n_ * sizeof(T), cudaMemcpyHostToDevice));
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() {
    if (data_ != nullptr) static_cast<void>(cudaFree(data_));
  }
  T* data() { return data_; }
  void download(std::vector<T>& host) const {
    host.resize(n_);
    if (n_ > 0) KERNELS_CUDA_CHECK(cudaMemcpy(host.data(), data_, n_ * sizeof(T), cudaMemcpyDeviceToHost));
  }

 private:
  std::size_t n_ = 0;
  T* data_ = nullptr;
};

std::int64_t size_of(const std::vector<float>& v) { return static_cast<std::int64_t>(v.size()); }

}  // namespace

double squared_error(const std::vector<float>& x, const std::vector<float>& y, std::vector<float>& grad) {
  Buffer<float> dx(x), dy(y), dgrad(x.size());
  Buffer<double> sum(std::size_t{1});
  kernels::cuda::squared_error(dx.data(), dy.data(), size_of(x), dgrad.data(), sum.data(), nullptr);
  std::vector<double> result;
  sum.download(result);
  dgrad.download(grad);
  return result[0];
}

std::vector<float> dropout_values(const std::vector<float>& in, float p, std::uint64_t seed) {
  Buffer<float> din(in), dout(in.size());
  kernels::cuda::dropout_values(din.data(), dout.data(), size_of(in), p, seed, nullptr);
  std::vector<float> out;
  dout.download(out);
  return out;
}

void sgd_update(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& velocity,
                const kernels::SgdParams& p) {
  Buffer<float> dparams(params), dgrads(grads), dvelocity(velocity);
  kernels::cuda::sgd_update(dparams.data(), dgrads.data(), velocity.empty() ? nullptr : dvelocity.data(),
                            size_of(params), p, nullptr);
  dparams.download(params);
  if (!velocity.empty()) dvelocity.download(velocity);
}

void adam_update(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                 std::vector<float>& v, const kernels::AdamParams& p) {
  Buffer<float> dparams(params), dgrads(grads), dm(m), dv(v);
  kernels::cuda::adam_update(dparams.data(), dgrads.data(), dm.data(), dv.data(), size_of(params), p, nullptr);
  dparams.download(params);
  dm.download(m);
  dv.download(v);
}

void rprop_update(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& previous_grads,
                  std::vector<float>& step_sizes, const kernels::RpropParams& p) {
  Buffer<float> dparams(params), dgrads(grads), dprevious(previous_grads), dsteps(step_sizes);
  kernels::cuda::rprop_update(dparams.data(), dgrads.data(), dprevious.data(), dsteps.data(), size_of(params), p,
                              nullptr);
  dparams.download(params);
  dprevious.download(previous_grads);
  dsteps.download(step_sizes);
}

}  // namespace opcases::kernel_level::cuda_twin
