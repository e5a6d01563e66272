// Where an I-AutoRec training epoch spends its time: the op sequence of one batch as the trainer runs
// it (the batch formed on the device, the forward, the fused output layer with loss and dH in one
// pass, and the backward with each parameter's Adam step fused where its gradient is finished: no
// gradient zeroing, no separate optimizer pass), replayed with the engine's ops on the same batches as
// an epoch and timed op by op. On the CPU every engine op is synchronous, so the per-op wall times add
// up to the epoch (the trainer's own bookkeeping aside).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "training_run.h"

namespace bench {

struct OpTime {
  std::string name;
  double seconds = 0.0;  // summed over the epoch's batches
};

// One epoch of batches of spec.batch_size rows (after one untimed warm-up epoch), CPU or CUDA (the
// CUDA backend is synchronised after every op, which serialises it: use the result for shares only).
std::vector<OpTime> profile_epoch(const TrainingSpec& spec, const TrainingData& data);

}  // namespace bench
