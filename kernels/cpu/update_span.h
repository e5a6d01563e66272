// The optimizer step over a contiguous span of weights whose gradient is already in hand (private to
// kernels/cpu): shared by the fused products, which call it on each finished gradient row.
#pragma once

#include <cstdint>

#include "kernels/weight_update.h"

namespace kernels::cpu::detail {

// w[e] = update(w[e], g[e]) for e < n; the state of w[e] is at u.state0/state1 + state_offset + e.
void update_span(const WeightUpdate& u, float* w, const float* g, std::int64_t state_offset, std::int64_t n);
// The same, then (when u.bf16_copy is set) the new weights rounded into the copy at the state offset.
void update_span_with_copy(const WeightUpdate& u, float* w, const float* g, std::int64_t state_offset, std::int64_t n);
// out[e] = x[e] rounded to bfloat16 (nearest even) for e < n.
void round_span(const float* x, bfloat16* out, std::int64_t n);

}  // namespace kernels::cpu::detail
