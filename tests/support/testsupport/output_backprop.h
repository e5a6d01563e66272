// Test problems and the double-precision reference for the fused output layer forward + backward
// (sddmm_squared_error_backprop), shared by the CPU and the emulated CUDA tests. Shaped like training:
// k = 500 and 512 (float4 lanes, four register pieces), rows from empty to hundreds of nonzeros (one
// segment, several, exactly on a segment edge), scalar lanes (k = 37, ld = k + 1), bias or none, an
// output activation, a loss scale.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/output_layer.h"
#include "testsupport/host_dense.h"
#include "testsupport/host_sparse.h"
#include "testsupport/tolerance.h"

namespace testsupport {

struct BackpropProblem {
  std::string name;
  HostCsr pattern;  // the batch (m x n)
  std::int64_t k;
  std::int64_t ld_padding;
  kernels::Activation f;
  bool bias;
  float alpha;
};
const std::vector<BackpropProblem>& backprop_problems();

// Host operands of a problem and the layer description pointing at them (errors and dH zero-filled).
struct BackpropOperands {
  HostMatrix h, w, dh;
  std::vector<float> bias, ratings, errors;
};
BackpropOperands backprop_operands(const BackpropProblem& problem);
kernels::OutputLayerBackprop backprop_layer(const BackpropProblem& problem, BackpropOperands& in);

struct BackpropExpected {
  std::vector<double> errors;  // (nnz)
  std::vector<double> dh;      // (m x k) packed
  double loss = 0.0;
  Tolerance errors_tolerance, dh_tolerance, loss_tolerance;
};
BackpropExpected backprop_reference(const BackpropProblem& problem, const BackpropOperands& in);

}  // namespace testsupport
