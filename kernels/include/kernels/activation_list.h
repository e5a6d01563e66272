// The list of activations, one line each: X(Enumerator, "name"). Everything that enumerates the
// activations is generated from it: the kernels' enum and dispatch, the engine's enum and names, the
// CLI's names, and every test loop over activations. Adding an activation is one line here and one
// formula unit in kernels/activation.h (docs/embedding.md, "A new activation").
//
// Only a macro, no types: the engine's public header includes it to mirror the enum one for one
// without exposing kernels::Activation.
#pragma once

#define KERNELS_ACTIVATIONS(X) \
  X(Identity, "identity")      \
  X(Sigmoid, "sigmoid")        \
  X(Tanh, "tanh")              \
  X(Relu, "relu")              \
  X(Elu, "elu")                \
  X(Selu, "selu")              \
  X(Silu, "silu")
