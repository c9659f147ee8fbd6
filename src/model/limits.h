// What a model bundle may hold (docs/LIMITS.md, "Model bundles"). Each limit is far above
// anything elv's training produces; a bundle beyond one was edited by hand, damaged, or
// written to attack the loader, and is refused on loading rather than scored into empty or
// meaningless probabilities.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>

#include "config/config.h"

namespace elv::model {

// logreg: |weight| and |intercept| in standardised units (log-odds per standard deviation
// of the feature). Trained weights are L2-penalised and rarely exceed 10 (the bundled demo
// model's largest is 1.2); a weight of 1e4 already turns one standard deviation into
// certainty, and far larger ones (1e308) overflow the linear score to ±inf, whose sum is NaN.
inline constexpr double kMaxLogregWeight = 1e4;

// gbdt. model.lgbm_params.num_leaves is capped at kMaxNumLeaves by the config (LightGBM
// itself allows 131072, but the reference's configs use 31), so that every tree a config
// can grow fits the per-tree limits below:
//  - a tree with L leaves has 2L − 1 nodes; the node limit is twice that for L = 4096,
//    leaving room for the slots XGBoost keeps for pruned nodes;
//  - leaf-wise growth makes a tree at most L − 1 levels deep; the depth limit is kMaxNumLeaves.
//    XGBoost walks trees recursively in places (RegTree::MaxDepth), so depth is bounded
//    on its own;
//  - all trees together: 2^24 nodes. XGBoost's JSON spends over 100 bytes per node, so a
//    bundle under the 1 GiB file limit cannot hold that many from real training anyway.
using elv::kMaxNumLeaves;  // the config's cap (config/config.h)
inline constexpr int64_t kMaxTreeNodes = 4 * int64_t{kMaxNumLeaves};
inline constexpr int kMaxTreeDepth = kMaxNumLeaves;
inline constexpr int64_t kMaxTotalTreeNodes = int64_t{1} << 24;
// A leaf adds its value to the log-odds; real leaves are below 10 (learning_rate times a
// Newton step). The bound keeps the sum over kMaxTotalTreeNodes leaves finite in XGBoost's
// float arithmetic (2^24 × 1e6 ≈ 1.7e13, far below 3.4e38).
inline constexpr double kMaxLeafValue = 1e6;

// A value or limit as a message shows it: "%g" (1e+308, 10000, 3.40282e+38).
inline std::string limit_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace elv::model
