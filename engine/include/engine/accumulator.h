// DeviceAccumulator: one double on a device that ops add into (a loss, a squared norm). Reading it
// synchronises; keeping the sum on the device lets a whole epoch run without a host round trip.
#pragma once

#include "engine/device_array.h"

namespace engine {

class DeviceAccumulator {
 public:
  explicit DeviceAccumulator(Device device) : value_(DeviceArray<double>::zeros(1, device)) {}
  Device device() const { return value_.device(); }
  double* data() { return value_.data(); }
  double read() const { return value_.to_host()[0]; }
  void reset() { device_memory::zero(device(), value_.data(), sizeof(double)); }

 private:
  DeviceArray<double> value_;
};

}  // namespace engine
