// The SIMT host emulation of CUDA: include this instead of <cuda_runtime.h> (kernels/cuda_platform.h
// does so when KERNELS_SIMT is defined). See README.md for what it emulates and its limits.
#pragma once

#include "atomics.h"
#include "builtins.h"
#include "launch.h"
#include "runtime.h"
#include "sync.h"
#include "thread_context.h"
#include "types.h"
