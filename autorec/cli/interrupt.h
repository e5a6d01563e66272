// Ctrl-C handling for training: the first SIGINT only sets a flag that Trainer::fit polls between
// batches, so the CLI can save a checkpoint and exit cleanly; a second SIGINT kills the process the
// usual way (the handler is reset), for when saving hangs.
#pragma once

#include <atomic>

namespace autorec::cli {

// Installs the handler (idempotent) and returns the flag it sets.
const std::atomic<bool>& install_interrupt_handler();

}  // namespace autorec::cli
