#include "model/auto_select.h"

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "model/calibration.h"
#include "model/metrics.h"

namespace elv::model {

AutoChoice choose_by_calib_log_loss(const std::vector<std::string>& model_types,
                                    const std::vector<std::vector<double>>& raw_calib,
                                    const std::vector<double>& y_calib) {
  if (model_types.empty() || model_types.size() != raw_calib.size())
    throw Error("auto: needs one set of calib scores per candidate model");
  AutoChoice choice;
  for (size_t i = 0; i < model_types.size(); ++i) {
    if (raw_calib[i].size() != y_calib.size())
      throw Error("auto: " + model_types[i] + " scored " + std::to_string(raw_calib[i].size()) +
                  " calib leads, expected " + std::to_string(y_calib.size()));
    const Calibrator platt = Calibrator::fit_sigmoid(raw_calib[i], y_calib);
    choice.candidates.push_back({model_types[i], log_loss(y_calib, platt.apply(raw_calib[i])),
                                 log_loss(y_calib, raw_calib[i])});
    if (choice.candidates[i].calib_log_loss < choice.candidates[choice.chosen].calib_log_loss)
      choice.chosen = i;
  }
  return choice;
}

nlohmann::json to_json(const AutoChoice& choice) {
  nlohmann::json candidates = nlohmann::json::array();
  for (const auto& c : choice.candidates)
    candidates.push_back({{"model_type", c.model_type},
                          {"calib_log_loss", c.calib_log_loss},
                          {"calib_log_loss_raw", c.calib_log_loss_raw}});
  return {{"chosen", choice.candidates.at(choice.chosen).model_type},
          {"criterion", "lowest calib-split log loss after a sigmoid (Platt) fit"},
          {"candidates", std::move(candidates)}};
}

}  // namespace elv::model
