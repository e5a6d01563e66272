// Helpers shared by the reference implementations (private to tests/support).
#pragma once

namespace testsupport::detail {

// alpha * sum + beta * old, with beta == 0 ignoring old (the kernels' overwrite semantics).
inline double blend(double sum, float alpha, float beta, double old) {
  return beta == 0.0f ? alpha * sum : alpha * sum + beta * old;
}

}  // namespace testsupport::detail
