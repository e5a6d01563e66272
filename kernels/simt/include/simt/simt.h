// The SIMT host emulation of CUDA: include this instead of <cuda_runtime.h> (kernels/cuda_platform.h
// does so when KERNELS_SIMT is defined). See README.md for what it emulates and its limits.
#pragma once

#include "simt/atomics.h"
#include "simt/builtins.h"
#include "simt/launch.h"
#include "simt/runtime.h"
#include "simt/sync.h"
#include "simt/thread_context.h"
#include "simt/types.h"
