// Instruction-set dispatch for the CPU kernels' hot loops (private to kernels/cpu).
//
// The project builds for the baseline x86-64 (SSE2) so its binaries run anywhere; the few hot
// functions marked KERNELS_CPU_MULTIVERSION are compiled three times (AVX-512, AVX2+FMA, baseline)
// and the loader picks the best one for the running CPU (GCC function multiversioning). Only plain
// non-template functions can be cloned, which is why the hot loops live in such functions.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define KERNELS_CPU_MULTIVERSION __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define KERNELS_CPU_MULTIVERSION
#endif
