// Elementwise activations and their derivatives, shared by the CPU and CUDA kernels so both backends
// compute bit-for-bit the same formula (up to the math library's rounding).
//
// One activation is one ActivationFormula specialisation: the float value and derivative the kernels
// run, and the double-precision reference the tests check them against, written independently (the
// reference derivatives use another expression where one exists, so a slip in one is caught).
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/activation_list.h"
#include "kernels/views.h"

namespace kernels {

enum class Activation : std::uint8_t {
#define KERNELS_ACTIVATION_ENUMERATOR(name, text) name,
  KERNELS_ACTIVATIONS(KERNELS_ACTIVATION_ENUMERATOR)
#undef KERNELS_ACTIVATION_ENUMERATOR
};

template <Activation A>
struct ActivationFormula;  // value(z), derivative(z) in float; reference_value, reference_derivative in double

template <>
struct ActivationFormula<Activation::Identity> {
  KERNELS_HOST_DEVICE static float value(float z) { return z; }
  KERNELS_HOST_DEVICE static float derivative(float) { return 1.0f; }
  static double reference_value(double z) { return z; }
  static double reference_derivative(double) { return 1.0; }
};

template <>
struct ActivationFormula<Activation::Sigmoid> {
  KERNELS_HOST_DEVICE static float value(float z) { return 1.0f / (1.0f + expf(-z)); }
  KERNELS_HOST_DEVICE static float derivative(float z) {
    const float s = value(z);
    return s * (1.0f - s);
  }
  static double reference_value(double z) { return 1.0 / (1.0 + std::exp(-z)); }
  static double reference_derivative(double z) {
    const double e = std::exp(-z);
    return e / ((1.0 + e) * (1.0 + e));
  }
};

template <>
struct ActivationFormula<Activation::Tanh> {
  KERNELS_HOST_DEVICE static float value(float z) { return tanhf(z); }
  KERNELS_HOST_DEVICE static float derivative(float z) {
    const float t = tanhf(z);
    return 1.0f - t * t;
  }
  static double reference_value(double z) { return std::tanh(z); }
  static double reference_derivative(double z) { return 1.0 / (std::cosh(z) * std::cosh(z)); }
};

template <>
struct ActivationFormula<Activation::Relu> {
  KERNELS_HOST_DEVICE static float value(float z) { return z > 0.0f ? z : 0.0f; }
  KERNELS_HOST_DEVICE static float derivative(float z) { return z > 0.0f ? 1.0f : 0.0f; }
  static double reference_value(double z) { return z > 0.0 ? z : 0.0; }
  static double reference_derivative(double z) { return z > 0.0 ? 1.0 : 0.0; }
};

template <>
struct ActivationFormula<Activation::Elu> {
  KERNELS_HOST_DEVICE static float value(float z) { return z > 0.0f ? z : expm1f(z); }
  KERNELS_HOST_DEVICE static float derivative(float z) { return z > 0.0f ? 1.0f : expf(z); }
  static double reference_value(double z) { return z > 0.0 ? z : std::expm1(z); }
  static double reference_derivative(double z) { return z > 0.0 ? 1.0 : std::exp(z); }
};

// SELU (Klambauer et al. 2017).
template <>
struct ActivationFormula<Activation::Selu> {
  static constexpr double kAlpha = 1.6732632423543772;
  static constexpr double kScale = 1.0507009873554805;
  KERNELS_HOST_DEVICE static float value(float z) {
    return static_cast<float>(kScale) * (z > 0.0f ? z : static_cast<float>(kAlpha) * expm1f(z));
  }
  KERNELS_HOST_DEVICE static float derivative(float z) {
    return static_cast<float>(kScale) * (z > 0.0f ? 1.0f : static_cast<float>(kAlpha) * expf(z));
  }
  static double reference_value(double z) { return kScale * (z > 0.0 ? z : kAlpha * std::expm1(z)); }
  static double reference_derivative(double z) { return kScale * (z > 0.0 ? 1.0 : kAlpha * std::exp(z)); }
};

// SiLU, also called swish (Elfwing et al. 2018; Ramachandran et al. 2017): z * sigmoid(z).
template <>
struct ActivationFormula<Activation::Silu> {
  KERNELS_HOST_DEVICE static float value(float z) { return z / (1.0f + expf(-z)); }
  KERNELS_HOST_DEVICE static float derivative(float z) {
    const float s = 1.0f / (1.0f + expf(-z));
    return s * (1.0f + z * (1.0f - s));
  }
  static double reference_value(double z) { return z / (1.0 + std::exp(-z)); }
  static double reference_derivative(double z) {
    const double e = std::exp(-z);
    return (1.0 + e + z * e) / ((1.0 + e) * (1.0 + e));
  }
};

// Run-time dispatch for code that does not instantiate per activation (the kernels do, through
// kernels/activation_dispatch.h, so their inner loops carry no switch).
KERNELS_HOST_DEVICE inline float activate(Activation act, float z) {
  switch (act) {
#define KERNELS_ACTIVATION_CASE(name, text) \
  case Activation::name: return ActivationFormula<Activation::name>::value(z);
    KERNELS_ACTIVATIONS(KERNELS_ACTIVATION_CASE)
#undef KERNELS_ACTIVATION_CASE
  }
  return z;
}

// d activate(z) / dz, from the pre-activation z.
KERNELS_HOST_DEVICE inline float activate_derivative(Activation act, float z) {
  switch (act) {
#define KERNELS_ACTIVATION_CASE(name, text) \
  case Activation::name: return ActivationFormula<Activation::name>::derivative(z);
    KERNELS_ACTIVATIONS(KERNELS_ACTIVATION_CASE)
#undef KERNELS_ACTIVATION_CASE
  }
  return 1.0f;
}

// The double-precision references by run-time value (host only: for tests and benchmarks).
inline double activation_reference(Activation act, double z) {
  switch (act) {
#define KERNELS_ACTIVATION_CASE(name, text) \
  case Activation::name: return ActivationFormula<Activation::name>::reference_value(z);
    KERNELS_ACTIVATIONS(KERNELS_ACTIVATION_CASE)
#undef KERNELS_ACTIVATION_CASE
  }
  return z;
}

inline double activation_derivative_reference(Activation act, double z) {
  switch (act) {
#define KERNELS_ACTIVATION_CASE(name, text) \
  case Activation::name: return ActivationFormula<Activation::name>::reference_derivative(z);
    KERNELS_ACTIVATIONS(KERNELS_ACTIVATION_CASE)
#undef KERNELS_ACTIVATION_CASE
  }
  return 1.0;
}

// Every activation, in the list's order.
inline constexpr Activation kAllActivations[] = {
#define KERNELS_ACTIVATION_VALUE(name, text) Activation::name,
    KERNELS_ACTIVATIONS(KERNELS_ACTIVATION_VALUE)
#undef KERNELS_ACTIVATION_VALUE
};

}  // namespace kernels
