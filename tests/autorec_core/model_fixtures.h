// Small hand-built AutoRec models whose predictions are known in closed form, for testing the
// evaluation protocol without training; and the small synthetic problem the training tests share.
#pragma once

#include <vector>

#include "autorec/data/split.h"
#include "autorec/evaluate.h"
#include "autorec/model.h"

namespace fixtures {

// Ratings from (user, item, rating) rows; users and items get the dense indices given (the id maps
// are filled with raw ids equal to the indices).
autorec::Ratings ratings(int n_users, int n_items, const std::vector<std::tuple<int, int, float>>& rows);

// Sets every parameter of the model to zero, then the decoder bias to `bias` (one per output
// column): with identity output every prediction of column j is bias[j].
void set_constant_predictions(autorec::AutoRecModel& model, const std::vector<float>& bias);

// hidden = {1}, identity activations: encoder weights all 1, decoder weights all `scale`, biases 0,
// so the prediction for any entry of row r is scale * (sum of row r's input ratings).
void set_row_sum_predictions(autorec::AutoRecModel& model, float scale);

// 120 users x 80 items, 3,000 synthetic ratings (noise 0.3), a 10 % test holdout, and the training
// part as the model's matrix in orientation `o`.
struct Problem {
  autorec::Split split;
  engine::SparseMatrix train_rows;
};
Problem small_problem(autorec::Orientation o);

// The model's test RMSE on `p` under the paper's protocol, and that of predicting the training mean.
double test_rmse(autorec::RatingModel& model, const Problem& p);
double mean_baseline_rmse(const Problem& p);

}  // namespace fixtures
