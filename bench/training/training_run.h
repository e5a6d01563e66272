// One bench_training measurement: I-AutoRec (hidden 500, sigmoid/identity, Adam) trained on a
// synthetic data set of a named shape for a warm-up epoch plus a few timed epochs, with the kernels
// the engine is told to use; reports epoch time, ratings/s, peak memory and the test RMSE.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "autorec/data/split.h"
#include "autorec/data/synthetic.h"
#include "autorec/model.h"
#include "autorec/trainer.h"
#include "engine/sparse_matrix.h"

namespace bench {

struct TrainingSpec {
  std::string dataset = "ml-1m";    // ml-1m, ml-10m, netflix: shapes of the real data sets
  std::string device = "cpu";       // engine device text: cpu, cuda
  std::string kernels = "own";      // CUDA only: engine::set_cuda_kernels spec ("own", "vendor,alg2", ...)
  int warmup_epochs = 1;
  int timed_epochs = 3;
  // The library's defaults (autorec::TrainConfig{}, ModelConfig{}), so benchmarks measure what users run.
  std::int64_t hidden = autorec::ModelConfig{}.hidden.front();
  std::int64_t batch_size = autorec::TrainConfig{}.batch_size;
  float learning_rate = autorec::TrainConfig{}.learning_rate;
  float lambda = autorec::TrainConfig{}.lambda;  // L2 strength on the summed loss
  bool lazy_updates = autorec::TrainConfig{}.lazy_updates;
  autorec::Precision precision = autorec::TrainConfig{}.precision;  // of the gathered tables
  std::uint64_t seed = 1;
  std::string split_dir;            // when set: train.csv / test.csv of the split are written there
};

struct TrainingResult {
  TrainingSpec spec;
  std::int64_t n_users = 0, n_items = 0, train_ratings = 0, test_ratings = 0;
  std::vector<double> epoch_seconds;  // every epoch, warm-up first
  double median_epoch_seconds = 0.0;  // over the timed epochs
  double ratings_per_second = 0.0;    // training ratings / median epoch
  double engine_peak_bytes = 0.0;     // the device backend's allocator high-water mark during training
  double device_reserved_peak_bytes = 0.0;  // CUDA caching allocator, reserved (0 on CPU)
  double process_peak_rss_bytes = 0.0;      // getrusage, whole process (data generation included)
  double test_rmse = 0.0, test_mae = 0.0;
  double setup_seconds = 0.0;         // data generation, split, matrix build
  std::string backend;                // the backend's own description
};

// The data of one data set shape, generated once and shared by the runs with different kernels.
struct TrainingData {
  autorec::Split split;          // seeded 90/10
  engine::SparseMatrix train;    // items x users, on the host (the trainer uploads it once)
  double setup_seconds = 0.0;
};

autorec::SynthOptions synth_options_for(const std::string& dataset);
// Generates spec.dataset, splits it, and writes the split to spec.split_dir when that is set.
TrainingData prepare_data(const TrainingSpec& spec);
TrainingResult run_training(const TrainingSpec& spec, const TrainingData& data);

}  // namespace bench
