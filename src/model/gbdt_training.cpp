#include "model/gbdt_training.h"

#include <algorithm>

#include "io/parse.h"
#include "model/bundle.h"
#include "model/split.h"

namespace elv::model {

using nlohmann::json;

GbdtParams scale_to_data(GbdtParams p, int64_t n_train) {
  const int64_t by_rows = std::max<int64_t>(kMinScaledLeaves, n_train / kRowsPerLeaf);
  p.max_leaves = static_cast<int>(std::min<int64_t>(p.max_leaves, by_rows));
  const double rate_share = static_cast<double>(n_train) / static_cast<double>(kRowsPerFullRate);
  p.learning_rate *= std::clamp(rate_share, kMinRateShare, 1.0);
  return p;
}

namespace {

json regularisation_json(const GbdtParams& p) {
  return {{"max_leaves", p.max_leaves},
          {"learning_rate", p.learning_rate},
          {"min_child_weight", p.min_child_weight},
          {"reg_lambda", p.reg_lambda}};
}

// The share of progress the round search gets; the refit (at most as many rounds) the rest.
constexpr double kSearchShare = 0.6;

}  // namespace

GbdtTraining train_gbdt(const table::LeadTable& t, const std::vector<std::string>& features,
                        const std::vector<int64_t>& train, const GbdtSettings& settings,
                        int64_t seed, int nthread, const std::function<void(double)>& on_round) {
  const GbdtParams configured = translate_lgbm(settings, seed, nthread);
  const auto n_train = static_cast<int64_t>(train.size());
  GbdtParams params = settings.scale_to_data ? scale_to_data(configured, n_train) : configured;
  json info = {{"rounds_requested", configured.n_estimators},
               {"scale_to_data", settings.scale_to_data},
               {"regularisation", regularisation_json(params)},
               {"regularisation_configured", regularisation_json(configured)},
               {"early_stopping_rounds", settings.early_stopping_rounds},
               {"validation_frac", settings.validation_frac}};

  const ValidationSlice slice = settings.early_stopping_rounds > 0
                                    ? validation_slice(t, train, settings.validation_frac)
                                    : ValidationSlice{train, {}};
  std::function<void(double)> refit_progress = on_round;
  if (slice.validation.empty()) {
    info["early_stopping"] = false;
    info["early_stopping_note"] =
        settings.early_stopping_rounds == 0
            ? "turned off (model.lgbm_params.early_stopping_rounds: 0)"
            : "the train split is too small to spare a validation slice with both classes";
  } else {
    const RoundSearch search = search_gbdt_rounds(
        feature_view(t, features, &slice.fit), labels_of(t, slice.fit),
        feature_view(t, features, &slice.validation), labels_of(t, slice.validation), params,
        settings.early_stopping_rounds, [&](double share) {
          if (on_round) on_round(kSearchShare * share);
        });
    // Refit on the whole train split: the validation slice holds the newest leads, the
    // ones nearest to those the model will score, so the final model should learn from
    // them too. The round count carries over unchanged (the refit sees 1/(1 − frac) times
    // the rows; more rows would support slightly more rounds, fewer is the safe side).
    params.n_estimators = search.best_rounds;
    info["early_stopping"] = true;
    info["fit_rows"] = slice.fit.size();
    info["validation_rows"] = slice.validation.size();
    info["validation_start_time"] =
        parse::format_timestamp(t.created_time[slice.validation.front()]);
    info["rounds_run"] = search.rounds_run;
    info["best_rounds"] = search.best_rounds;
    info["best_validation_log_loss"] = search.best_validation_log_loss;
    if (on_round)
      refit_progress = [&](double share) { on_round(kSearchShare + (1 - kSearchShare) * share); };
  }
  info["rounds_used"] = params.n_estimators;
  info["refit_rows"] = n_train;
  GbdtModel model = GbdtModel::fit(feature_view(t, features, &train), labels_of(t, train), params,
                                   refit_progress);
  return {std::move(model), std::move(info)};
}

}  // namespace elv::model
