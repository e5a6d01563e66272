// The optimizer rules the kernels know: one header per rule under kernels/optimizer_rules/ (its
// hyper-parameters, its per-step constants and its per-element update, KERNELS_HOST_DEVICE so the CPU
// loops and the CUDA kernels call the same function) and one line in the list below. The list
// generates WeightUpdate's rule tag and constants, the dispatch of the flat and fused updates on both
// backends (kernels/weight_update.h) and the engine's optimizer registry (engine/src/optimizers.cpp).
//
// A rule is a struct with
//   using Constants = ...;           trivially copyable, passed by value to the CUDA kernels
//   static constexpr const char* kName;
//   static constexpr const char* kStates;                    its state buffers, in words
//   static constexpr int kStateBuffers;                       0, 1 or 2 state arrays laid out like the weights
//   static int required_states(const Constants&);             the ones this step cannot do without
//   KERNELS_HOST_DEVICE static float apply(float w, float g, float* state0, float* state1,
//                                          std::int64_t i, const Constants&);   the new weight i
#pragma once

#include "kernels/optimizer_rules/adagrad.h"
#include "kernels/optimizer_rules/adam.h"
#include "kernels/optimizer_rules/lion.h"
#include "kernels/optimizer_rules/rprop.h"
#include "kernels/optimizer_rules/sgd.h"

// X(Rule, field): rules::Rule and the name of its constants in WeightUpdate.
#define KERNELS_OPTIMIZER_RULES(X) \
  X(Sgd, sgd)                      \
  X(Adam, adam)                    \
  X(Rprop, rprop)                  \
  X(Adagrad, adagrad)              \
  X(Lion, lion)
