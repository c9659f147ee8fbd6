// How `train` fits a gbdt (docs/CONTRACT.md §5, "gbdt on small data"): the configured
// parameters with the tree size scaled to the number of training leads, and the number of
// rounds chosen by early stopping on the newest slice of the train split, then a refit on
// the whole train split with that many rounds.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "model/gbdt.h"
#include "table/lead_table.h"

namespace elv::model {

// Training leads per leaf that scale_to_data asks for: with fewer than
// kRowsPerLeaf · num_leaves training leads, the trees get fewer leaves (never fewer than
// kMinScaledLeaves). Measured in bench/RESULTS.md ("gbdt on small data").
inline constexpr int64_t kRowsPerLeaf = 1500;
inline constexpr int kMinScaledLeaves = 4;
// Training leads for the configured learning rate: with fewer, the rate is scaled by
// n_train / kRowsPerFullRate, never below kMinRateShare of it (smaller steps, more rounds:
// a steadier fit on a few thousand leads; bench/RESULTS.md, "gbdt on small data").
inline constexpr int64_t kRowsPerFullRate = 13500;
inline constexpr double kMinRateShare = 0.4;

// `params` for n_train training leads: max_leaves capped at n_train / kRowsPerLeaf (at
// least kMinScaledLeaves, at most the configured value), learning_rate scaled down below
// kRowsPerFullRate leads (at least kMinRateShare of it); the rest unchanged.
GbdtParams scale_to_data(GbdtParams params, int64_t n_train);

struct GbdtTraining {
  GbdtModel model;
  // What was done, for model.json (training.gbdt) and metrics.json (gbdt): early stopping
  // on or off (and why), the validation slice, rounds requested / run / best / used, and
  // the regularisation used next to the configured one.
  nlohmann::json info;
};

// Fits on `train` (row indices of `t`, in time order: time_split's train). on_round goes
// from 0 to 1 over the search and the refit.
GbdtTraining train_gbdt(const table::LeadTable& t, const std::vector<std::string>& features,
                        const std::vector<int64_t>& train, const GbdtSettings& settings,
                        int64_t seed, int nthread,
                        const std::function<void(double)>& on_round = {});

}  // namespace elv::model
