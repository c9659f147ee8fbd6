// libFuzzer target: the model-bundle loader (elv::model::parse_bundle, src/model/bundle.cpp)
// on arbitrary text.
//
// elv::Error is the expected outcome for a damaged bundle and is swallowed; anything else
// is a finding. A bundle that loads is then used the way score uses it: the model predicts
// on a small matrix with the bundle's features (missing values included), the calibrator
// and the drift reference are applied, and the bundle is written back and re-read.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "base/error.h"
#include "model/bundle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using elv::model::ModelBundle;
  const std::string text(reinterpret_cast<const char*>(data), size);
  ModelBundle bundle;
  try {
    bundle = elv::model::parse_bundle(text, "fuzz.json");
  } catch (const elv::Error&) {
    return 0;
  }
  try {
    elv::model::FeatureMatrix X;
    X.rows = 3;
    X.names = bundle.features;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (size_t j = 0; j < bundle.features.size(); ++j)
      X.columns.push_back({nan, 0.0, static_cast<double>(j) + 0.5});
    std::vector<double> raw;
    using elv::model::GbdtModel;
    using elv::model::LogregModel;
    if (const auto* logreg = std::get_if<std::shared_ptr<const LogregModel>>(&bundle.model);
        logreg && *logreg) {
      raw = (*logreg)->predict(X, {"", "c1", "c2"}, {"", "a1", "a2"});
    } else if (const auto* gbdt = std::get_if<std::shared_ptr<const GbdtModel>>(&bundle.model);
               gbdt && *gbdt) {
      raw = (*gbdt)->predict(X);
    } else {
      std::abort();  // a loaded bundle always has a model
    }
    if (raw.size() != 3) std::abort();
    (void)bundle.calibrator.apply(raw);
    (void)bundle.calibrator.apply(std::vector<double>{0.0, 0.5, 1.0, nan});
    for (const auto& ref : bundle.drift_reference)
      (void)elv::scoring::psi(ref, {nan, 0.0, 1.0, 1e9, -1e9});
  } catch (const elv::Error&) {
    // An error from predict or psi on a bundle that loaded reaches the user as one clear
    // error line, not a crash: acceptable (the loader cannot run XGBoost's own checks).
  }
  // What elv writes, elv reads back.
  try {
    (void)elv::model::parse_bundle(elv::model::to_json(bundle).dump(1), "written.json");
  } catch (const elv::Error&) {
    std::abort();
  }
  return 0;
}
