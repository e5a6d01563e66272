// Ranking metrics and recommendations against hand-computed cases.
#include <catch2/catch.hpp>

#include <numeric>

#include "autorec/error.h"
#include "autorec/trainer.h"
#include "model_fixtures.h"

using autorec::AutoRecModel;
using autorec::Orientation;

namespace {
autorec::ModelConfig tiny_config(Orientation o) {
  autorec::ModelConfig c;
  c.orientation = o;
  c.hidden = {1};
  c.hidden_activation = engine::Activation::Identity;
  return c;
}
}  // namespace

TEST_CASE("HR, NDCG and recall at k by hand, training items masked", "[ranking]") {
  // U-AutoRec on 2 users x 4 items with item scores 0.9, 0.5, 0.8, 0.1 for everyone.
  // User 0 trained on item 0, held out {2, 3}: top 2 = [2, 1] -> hit at rank 1;
  //   DCG = 1, IDCG = 1 + 1/log2(3) = 1.6309298, NDCG = 0.6131472, recall = 1/2.
  // User 1 trained on item 2, held out {1}: top 2 = [0, 1] -> hit at rank 2;
  //   DCG = 1/log2(3) = 0.6309298, IDCG = 1, recall = 1.
  const auto train = fixtures::ratings(2, 4, {{0, 0, 5}, {1, 2, 4}});
  const auto held_out = fixtures::ratings(2, 4, {{0, 2, 4}, {0, 3, 3}, {1, 1, 5}});
  const auto rows = autorec::to_matrix(train, Orientation::UserBased);
  AutoRecModel model(tiny_config(Orientation::UserBased), rows.cols(), engine::Device::cpu());
  fixtures::set_constant_predictions(model, {0.9f, 0.5f, 0.8f, 0.1f});
  for (std::int64_t block : {1, 2, 256}) {
    INFO("block rows " << block);
    const auto m = autorec::ranking_metrics(model, rows, held_out, 2, block);
    CHECK(m.users == 2);
    CHECK(m.hit_rate == Approx(1.0));
    CHECK(m.ndcg == Approx((0.6131472 + 0.6309298) / 2));
    CHECK(m.recall == Approx(0.75));
  }
  const auto at1 = autorec::ranking_metrics(model, rows, held_out, 1);
  CHECK(at1.hit_rate == Approx(0.5));  // user 0's first item (2) is relevant, user 1's (0) is not
  CHECK(at1.recall == Approx(0.5));
}

TEST_CASE("recommendations skip seen items, item-based rows decoded in blocks", "[ranking]") {
  // I-AutoRec with score = 0.1 * (sum of the item's training ratings), the same for every user:
  // item 0: 0.5, item 1: 0.2, item 2: 0.4, item 3 (no ratings): 0.
  const auto train = fixtures::ratings(2, 4, {{0, 0, 5}, {1, 1, 2}, {1, 2, 4}});
  const auto rows = autorec::to_matrix(train, Orientation::ItemBased);
  AutoRecModel model(tiny_config(Orientation::ItemBased), rows.cols(), engine::Device::cpu());
  fixtures::set_row_sum_predictions(model, 0.1f);
  const auto lists = autorec::recommend(model, rows, {0, 1}, 2, 1);
  CHECK(lists[0] == std::vector<std::int32_t>{2, 1});
  CHECK(lists[1] == std::vector<std::int32_t>{0, 3});
  CHECK_THROWS_AS(autorec::recommend(model, rows, {7}, 2), autorec::ConfigError);
}

TEST_CASE("ranking refuses k < 1 and ignores held-out users outside the data", "[ranking]") {
  const auto train = fixtures::ratings(2, 3, {{0, 0, 5}, {1, 1, 4}});
  const auto rows = autorec::to_matrix(train, Orientation::UserBased);
  AutoRecModel model(tiny_config(Orientation::UserBased), rows.cols(), engine::Device::cpu());
  fixtures::set_constant_predictions(model, {0.1f, 0.2f, 0.3f});
  CHECK_THROWS_AS(autorec::ranking_metrics(model, rows, train, 0), std::invalid_argument);
  CHECK_THROWS_AS(autorec::recommend(model, rows, {0}, 0), std::invalid_argument);
  autorec::Ratings odd = fixtures::ratings(2, 3, {{1, 2, 3}});
  odd.users.push_back(-1);
  odd.items.push_back(0);
  odd.values.push_back(3.0f);
  const auto m = autorec::ranking_metrics(model, rows, odd, 1);
  CHECK(m.users == 1);
  CHECK(m.hit_rate == Approx(1.0));  // user 1's best unseen item is 2
}

TEST_CASE("an item-based model ranks a few users at their pairs as it ranks them from whole rows", "[ranking]") {
  // 120 users: ranking every user decodes whole item rows; one user of them (at most 1 in 8) is
  // ranked from the scores at its pairs only. A trained model, so that scores are distinct.
  const fixtures::Problem p = fixtures::small_problem(Orientation::ItemBased);
  autorec::ModelConfig config;
  config.hidden = {16};
  AutoRecModel model(config, p.train_rows.cols(), engine::Device::cpu());
  autorec::TrainConfig train;
  train.max_epochs = 5;
  autorec::Trainer(model, train).fit(p.train_rows, nullptr, {});
  std::vector<std::int32_t> everyone(static_cast<std::size_t>(p.train_rows.cols()));
  std::iota(everyone.begin(), everyone.end(), 0);
  for (std::int64_t block : {7, 256}) {
    const auto all = autorec::recommend(model, p.train_rows, everyone, 10, block);
    for (const std::int32_t user : {0, 17, 119}) {
      INFO("user " << user << ", block rows " << block);
      const auto alone = autorec::recommend(model, p.train_rows, {user}, 10, block);
      CHECK(alone[0] == all[static_cast<std::size_t>(user)]);
    }
  }
}
