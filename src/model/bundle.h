// The model bundle (docs/CONTRACT.md §5): one versioned, human-readable JSON file, format
// "elv-model/1": features in order, the fitted model (logreg weights or XGBoost's own
// JSON), the calibrator, the drift reference and the training context.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "model/calibration.h"
#include "model/gbdt.h"
#include "model/logreg.h"
#include "model/matrix.h"
#include "scoring/psi.h"
#include "table/lead_form.h"
#include "table/lead_table.h"
#include "table/outcome_history.h"

namespace elv::model {

inline constexpr const char* kBundleFormat = "elv-model/1";
inline constexpr int kBundleFormatVersion = 1;

// The fitted model of a bundle, one of the model kinds. Held by shared pointer to const: a
// bundle is copied into jobs and threads, and XGBoost's booster is not copied with it. A
// new model kind is one more alternative here; std::visit then finds every place that
// must learn about it (predicting, saving, the feature list).
using FittedModel =
    std::variant<std::shared_ptr<const LogregModel>, std::shared_ptr<const GbdtModel>>;

struct ModelBundle {
  FittedModel model;  // never null in a loaded or trained bundle
  std::vector<std::string> features;
  // How training encoded the lead download's columns (empty when it had none); scoring
  // encodes new leads the same way (docs/LEAD_FORMS.md).
  table::LeadFormEncoding lead_form;
  Calibrator calibrator;
  std::vector<scoring::PsiReference> drift_reference;
  double psi_threshold = 0.2;
  // Per feature, its median over the training rows (NaN for an all-missing column): what a
  // lead's value is called high or low against in its reasons (model/explain.h). Empty in a
  // model.json written before it was recorded; such a model still scores, its gbdt reasons
  // then name features without "high"/"low".
  std::vector<double> feature_medians;
  // The outcome history known at training's as_of_date (docs/CONTRACT.md §4.8): scoring
  // without outcomes (batch-score) takes the history features from it. Absent when the
  // model has no such features.
  std::optional<table::OutcomeHistorySnapshot> outcome_history;
  // window, lag, label window, enrichments used, elv version, created time, split, ...
  nlohmann::json training;
  // Where it was loaded from, for errors (empty for a model trained in this process).
  std::string source;

  // Uncalibrated model output for the given rows (all rows when `rows` is null). Throws
  // elv::Error naming the model and the first lead whose probability is not a finite
  // number (weights or values that overflow): never an empty cell in predictions.csv.
  // A logreg's blocks of rows are scored on `threads` threads (0: all cores); the result does
  // not depend on the count.
  std::vector<double> predict_raw(const table::LeadTable& t,
                                  const std::vector<int64_t>* rows = nullptr,
                                  int threads = 0) const;
  // Calibrated P(qualified within the label window); finite, as predict_raw.
  std::vector<double> predict(const table::LeadTable& t, const std::vector<int64_t>* rows = nullptr,
                              int threads = 0) const;

  // "logreg" or "gbdt": model.json's model_type.
  const char* model_type() const;
  // The model's own feature list (must equal `features`).
  const std::vector<std::string>& model_features() const;
};

nlohmann::json to_json(const ModelBundle& bundle);
// Throws elv::Error naming the file: unreadable, not JSON (e.g. truncated), another format
// or version, or a damaged model section.
ModelBundle load_bundle(const std::string& path);
ModelBundle parse_bundle(const std::string& json_text, const std::string& name);
void save_bundle(const ModelBundle& bundle, const std::string& path);

// The features the bundle needs must all be in the table; the error names the first
// missing one and the input file (config key) that provides it.
void check_features(const ModelBundle& bundle, const table::LeadTable& t);
std::string feature_source(
    const std::string& feature);  // e.g. "ads_placement.csv (paths.ads_placement_path)"

// The table's columns as a model matrix (rows = all, or the given rows), copied as doubles.
FeatureMatrix feature_matrix(const table::LeadTable& t, const std::vector<std::string>& features,
                             const std::vector<int64_t>* rows = nullptr);
// The same matrix as a view of the table's columns, without a copy: for the fit and the
// medians of the train split, whose copy was the largest allocation of train. `t` and `rows`
// must outlive it.
FeatureMatrix feature_view(const table::LeadTable& t, const std::vector<std::string>& features,
                           const std::vector<int64_t>* rows = nullptr);
// Campaign and ad set IDs as strings, for logreg's one-hot columns.
std::vector<std::string> id_strings(const table::LeadTable& t, const char* column,
                                    const std::vector<int64_t>* rows = nullptr);

}  // namespace elv::model

namespace elv::model {
// The demo model compiled into the binary from assets/demo_model.json (docs/CONTRACT.md §7).
// Throws elv::Error when this build has none (run scripts/build-demo-model.sh).
ModelBundle bundled_demo_model();
}  // namespace elv::model
