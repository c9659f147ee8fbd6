// The train and score pipelines (docs/CONTRACT.md §5, §6).
#include "run/model_runs.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/parallel.h"
#include "contracts/loader.h"
#include "io/files.h"
#include "io/parse.h"
#include "model/auto_select.h"
#include "model/bundle.h"
#include "model/explain.h"
#include "model/gbdt_training.h"
#include "model/metrics.h"
#include "model/split.h"
#include "report/html.h"
#include "run/artifacts.h"
#include "run/pipelines.h"
#include "scoring/drift_policy.h"
#include "scoring/leaderboard.h"
#include "scoring/predictions.h"
#include "scoring/psi.h"
#include "table/build.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::run {

namespace {

// The numeric features PSI watches: the ads window features a marketer would recognise.
std::vector<std::string> drift_features(const table::LeadTable& t, int window_days) {
  const std::string w = std::to_string(window_days) + "d";
  std::vector<std::string> wanted = {
      "spend_sum_" + w, "clicks_sum_" + w,  "impressions_sum_" + w,     "ctr_" + w,  "cpc_" + w,
      "cpm_" + w,       "active_days_" + w, "spend_trend_ratio_2vprev", "lead_hour", "lead_dow"};
  std::vector<std::string> out;
  for (const auto& f : wanted)
    if (t.feature_index(f) >= 0 && out.size() < 10) out.push_back(f);
  return out;
}

std::vector<double> column_values(const table::LeadTable& t, const std::string& f,
                                  const std::vector<int64_t>* rows) {
  return t.features[static_cast<size_t>(t.feature_index(f))].to_vector(rows);
}

json finite_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// Each feature's PSI judged by scoring/drift_policy.h (docs/DRIFT.md): "flagged" is an alarm.
json drift_json(const std::vector<scoring::PsiReference>& refs, const table::LeadTable& t,
                const std::vector<int64_t>* rows) {
  json columns = json::object();
  json flagged = json::array();
  std::vector<scoring::DriftJudgement> judgements;
  for (const auto& ref : refs) {
    if (t.feature_index(ref.feature) < 0) continue;
    const double value = scoring::psi(ref, column_values(t, ref.feature, rows));
    const scoring::DriftJudgement j = scoring::judge_drift(ref.feature, value, ref.expected_psi);
    columns[ref.feature] = {{"psi", finite_or_null(value)},
                            {"expected_psi", finite_or_null(ref.expected_psi)},
                            {"level", scoring::level_name(j.level)},
                            {"expected_to_move", j.expected_to_move},
                            {"label", j.label},
                            {"verdict", j.verdict},
                            {"next_step", j.next_step},
                            {"flagged", j.alarm}};
    if (j.alarm) flagged.push_back(ref.feature);
    judgements.push_back(j);
  }
  return {{"method", "psi"},
          {"bins", 10},
          {"epsilon", 1e-6},
          {"psi_threshold", scoring::kPsiMajor},
          {"psi_moderate", scoring::kPsiModerate},
          {"headline", scoring::drift_headline(judgements)},
          {"columns", columns},
          {"flagged_columns", flagged},
          {"n_flagged", flagged.size()}};
}

// The training rows in time order, for psi_over_time.
std::vector<int64_t> in_time_order(const table::LeadTable& t, std::vector<int64_t> rows) {
  std::stable_sort(rows.begin(), rows.end(),
                   [&](int64_t a, int64_t b) { return t.created_time[a] < t.created_time[b]; });
  return rows;
}

}  // namespace

// Baseline: each campaign's qualification rate in the train window (unseen -> overall).
std::vector<double> campaign_rate_baseline(const table::LeadTable& t,
                                           const std::vector<int64_t>& train,
                                           const std::vector<int64_t>& rows) {
  std::unordered_map<int32_t, std::pair<double, double>> by_campaign;  // positives, count
  double positives = 0;
  for (int64_t r : train) {
    const double y = t.label_status[r] == table::LabelStatus::Positive ? 1.0 : 0.0;
    auto& [pos, n] = by_campaign[t.campaign_id[r]];
    pos += y;
    n += 1;
    positives += y;
  }
  const double overall = positives / static_cast<double>(train.size());
  std::vector<double> p(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    auto it = by_campaign.find(t.campaign_id[rows[i]]);
    p[i] = it == by_campaign.end() ? overall : it->second.first / it->second.second;
  }
  return p;
}

namespace {

std::vector<std::string> enrichments_used(const table::BuildInfo& info) {
  std::vector<std::string> kinds;
  for (const auto& e : info.enrichments) kinds.push_back(e.kind);
  return kinds;
}

// metrics.json's global picture: mean |contribution| per feature on the test split.
json drivers_json(const scoring::TopContributions& top) {
  json out = json::array();
  for (const auto& d : scoring::top_drivers(top))
    out.push_back({{"feature", d.feature},
                   {"label", d.label},
                   {"mean_abs_contribution", d.mean_abs_contribution}});
  return out;
}

// predictions.csv and the leaderboards for every lead of the table.
std::vector<std::string> write_scores(const Config& config, const table::BuildResult& built,
                                      const model::ModelBundle& bundle,
                                      const std::vector<double>& p, const RunFolder& run,
                                      int threads, Progress* progress) {
  stage(progress, "explain the scores");
  const scoring::TopContributions reasons =
      model::top_contributions(bundle, built.table, nullptr, threads);
  stage(progress, "write predictions and leaderboards");
  const int window = config.label.label_window_days;
  scoring::write_predictions_csv(built.table, p, config.business.value_per_qualified, window,
                                 run.file("predictions.csv"), &reasons);
  std::vector<std::string> names = {"predictions.csv"};
  const scoring::LeaderboardInputs in{&built, &p, config.business.value_per_qualified,
                                      config.reporting.min_segment_leads};
  scoring::write_leaderboard_csv(scoring::leaderboard(in, scoring::SegmentLevel::Campaign),
                                 scoring::SegmentLevel::Campaign, built.table, window,
                                 built.info.currency, run.file("leaderboard_campaign.csv"));
  names.push_back("leaderboard_campaign.csv");
  if (scoring::has_adset_keys(built.table)) {
    scoring::write_leaderboard_csv(scoring::leaderboard(in, scoring::SegmentLevel::Adset),
                                   scoring::SegmentLevel::Adset, built.table, window,
                                   built.info.currency, run.file("leaderboard_adset.csv"));
    names.push_back("leaderboard_adset.csv");
  }
  return names;
}

// One model of the given kind (logreg, or gbdt for gbdt and its alias lgbm), fitted on the
// train split and calibrated on the calib split only: the model never saw those leads.
model::ModelBundle fit_model(const Config& config, const table::BuildResult& built,
                             const model::TimeSplit& split, const std::string& kind, int threads,
                             Progress* progress) {
  const table::LeadTable& t = built.table;
  model::ModelBundle b;
  b.features = t.feature_names;
  b.lead_form = built.info.lead_form;
  if (kind == "logreg") {
    // A view: the train split is read in place (a copy was 1.9 GB at xl, issue 19).
    const model::FeatureMatrix X_train = model::feature_view(t, b.features, &split.train);
    b.model = std::make_shared<const model::LogregModel>(model::LogregModel::fit(
        X_train, model::id_strings(t, "campaign_id", &split.train),
        model::id_strings(t, "adset_id", &split.train), model::labels_of(t, split.train),
        config.model.logreg_params, threads));
  } else {
    const int nthread = config.model.nthread > 0 ? config.model.nthread : threads;
    model::GbdtTraining fitted =
        model::train_gbdt(t, b.features, split.train, config.model.lgbm_params,
                          config.model.random_seed, nthread, fraction_callback(progress));
    b.model = std::make_shared<const model::GbdtModel>(std::move(fitted.model));
    b.training["gbdt"] = std::move(fitted.info);
  }
  const std::vector<double> raw_calib = b.predict_raw(t, &split.calib, threads);
  const std::vector<double> y_calib = model::labels_of(t, split.calib);
  b.calibrator = config.model.calibration_method == "isotonic"
                     ? model::Calibrator::fit_isotonic(raw_calib, y_calib)
                     : model::Calibrator::fit_sigmoid(raw_calib, y_calib);
  return b;
}

}  // namespace

model::ModelBundle fit_bundle(const Config& config, const table::BuildResult& built,
                              const model::TimeSplit& split, int threads, Progress* progress,
                              std::vector<model::ModelBundle>* candidates) {
  const table::LeadTable& t = built.table;
  const std::string& type = config.model.model_type;
  model::ModelBundle b;
  if (type != "auto") {
    b = fit_model(config, built, split, type, threads, progress);
  } else {
    const std::vector<std::string> kinds = {"logreg", "gbdt"};  // the simpler first: wins a tie
    std::vector<model::ModelBundle> fitted;
    std::vector<std::vector<double>> raw_calib;
    for (const auto& kind : kinds) {
      fitted.push_back(fit_model(config, built, split, kind, threads, progress));
      raw_calib.push_back(fitted.back().predict_raw(t, &split.calib, threads));
    }
    const model::AutoChoice choice =
        model::choose_by_calib_log_loss(kinds, raw_calib, model::labels_of(t, split.calib));
    b = fitted[choice.chosen];
    b.training["auto"] = model::to_json(choice);
    if (candidates) *candidates = std::move(fitted);
  }
  const std::vector<int64_t> train_in_time = in_time_order(t, split.train);
  for (const auto& f : drift_features(t, config.features.feature_window_days)) {
    b.drift_reference.push_back(scoring::psi_reference(f, column_values(t, f, &split.train)));
    b.drift_reference.back().expected_psi =
        scoring::psi_over_time(column_values(t, f, &train_in_time));
  }
  json training = {{"elv_version", ELV_VERSION},
                   {"created_at_utc", utc_now()},
                   {"model_type_requested", type},
                   {"calibration_method", config.model.calibration_method},
                   {"label_window_days", config.label.label_window_days},
                   {"feature_window_days", config.features.feature_window_days},
                   {"feature_lag_days", config.features.feature_lag_days},
                   {"enrichments_used", enrichments_used(built.info)},
                   {"as_of_date", parse::format_date(built.info.labels.as_of_date)},
                   {"n_train", split.train.size()},
                   {"n_calib", split.calib.size()},
                   {"train_end_time", parse::format_timestamp(split.train_end_time)},
                   {"calib_end_time", parse::format_timestamp(split.calib_end_time)},
                   {"random_seed", config.model.random_seed}};
  if (b.training.is_object()) training.update(b.training);  // gbdt's early stopping, auto's choice
  b.training = std::move(training);
  return b;
}

namespace {

// metrics.json's "auto": the choice, and each candidate's calib log loss and test figures.
json auto_metrics(const json& choice, const std::vector<model::ModelBundle>& candidates,
                  const table::LeadTable& t, const model::TimeSplit& split, double topk, int bins) {
  json out = choice;
  const std::vector<double> y_test = model::labels_of(t, split.test);
  for (size_t i = 0; i < candidates.size() && i < out["candidates"].size(); ++i) {
    const json m = model::to_json(
        model::core_metrics(y_test, candidates[i].predict(t, &split.test), topk, bins));
    out["candidates"][i]["test"] = {{"roc_auc", m["roc_auc"]},
                                    {"pr_auc", m["pr_auc"]},
                                    {"brier", m["brier"]},
                                    {"log_loss", m["log_loss"]},
                                    {"ece", m["calibration"]["ece"]}};
    if (candidates[i].training.contains("gbdt"))
      out["candidates"][i]["gbdt"] = candidates[i].training["gbdt"];
  }
  return out;
}

// A model's features only mean what they meant in training: the same window, lag and label
// window, or the scores are silently wrong.
void check_model_matches_config(const model::ModelBundle& bundle, const Config& config) {
  const std::pair<const char*, int> keys[] = {
      {"features.feature_window_days", config.features.feature_window_days},
      {"features.feature_lag_days", config.features.feature_lag_days},
      {"label.label_window_days", config.label.label_window_days}};
  for (const auto& [key, value] : keys) {
    const std::string field = std::string(key).substr(std::string(key).find('.') + 1);
    if (!bundle.training.contains(field)) continue;
    const int trained = bundle.training[field].get<int>();
    if (trained != value)
      throw Error("the model was trained with " + std::string(key) + " = " +
                      std::to_string(trained) + " but the config says " + std::to_string(value) +
                      "; score with the settings the model was trained with",
                  config.source_path);
  }
}

int threads_of(const RunOptions& o) { return resolve_threads(o.threads); }

}  // namespace

std::vector<std::string> train_into(const Config& config, const RunOptions& options,
                                    const RunFolderFactory& open_run) {
  table::BuildOptions build_options;
  build_options.threads = options.threads;
  build_options.progress = options.progress;
  const table::BuildResult built = table::build_table(config, build_options);
  const table::LeadTable& t = built.table;
  const model::TimeSplit split = model::time_split(t, config.splits, options.max_labeled_leads);
  const std::string& type = config.model.model_type;
  stage(options.progress, std::string("fit the model (") +
                              (type == "logreg" ? "logistic regression"
                               : type == "auto" ? "logistic regression and gradient-boosted "
                                                  "trees, keeping the better"
                                                : "gradient-boosted trees") +
                              ") and calibrate");
  std::vector<model::ModelBundle> candidates;
  model::ModelBundle bundle =
      fit_bundle(config, built, split, threads_of(options), options.progress, &candidates);
  // What the reasons call a lead's value high or low against (model/explain.h).
  bundle.feature_medians =
      model::column_medians(model::feature_view(t, bundle.features, &split.train));
  // What batch scoring, which reads no outcomes, takes the outcome history from.
  if (built.info.outcome_history_source == "outcomes")
    bundle.outcome_history = table::outcome_history_snapshot(
        {&built.qualified_time, built.info.labels.as_of_date, config.label.label_window_days,
         built.info.outcome_history_prior},
        t);
  stage(options.progress, "evaluate");

  // Evaluation on the test split, next to the campaign-rate baseline.
  const std::vector<double> y_test = model::labels_of(t, split.test);
  const std::vector<double> p_test = bundle.predict(t, &split.test, threads_of(options));
  const std::vector<double> p_base = campaign_rate_baseline(t, split.train, split.test);
  const double topk = config.reporting.topk_frac;
  const int bins = config.reporting.ece_bins;
  double positives = 0;
  for (const auto* rows : {&split.train, &split.calib, &split.test})
    for (int64_t r : *rows) positives += t.label_status[r] == table::LabelStatus::Positive;
  json metrics = {
      {"model_type", bundle.model_type()},
      {"calibration_method", config.model.calibration_method},
      {"model", model::to_json(model::core_metrics(y_test, p_test, topk, bins))},
      {"baseline_campaign_rate", model::to_json(model::core_metrics(y_test, p_base, topk, bins))},
      {"data",
       {{"n_labeled", split.n_labeled()},
        {"n_train", split.train.size()},
        {"n_calib", split.calib.size()},
        {"n_test", split.test.size()},
        {"positive_rate_labeled", positives / static_cast<double>(split.n_labeled())}}},
      {"split",
       {{"train_end_time", parse::format_timestamp(split.train_end_time)},
        {"calib_end_time", parse::format_timestamp(split.calib_end_time)}}},
      {"drift", drift_json(bundle.drift_reference, t, &split.test)}};
  if (bundle.training.contains("gbdt")) metrics["gbdt"] = bundle.training["gbdt"];
  if (bundle.training.contains("auto"))
    metrics["auto"] = auto_metrics(bundle.training["auto"], candidates, t, split, topk, bins);
  const scoring::TopContributions test_reasons =
      model::top_contributions(bundle, t, &split.test, threads_of(options));
  metrics["drivers"] = drivers_json(test_reasons);
  metrics["drivers_method"] = test_reasons.method;
  if (split.n_labeled_before_cap > split.n_labeled()) {
    metrics["data"]["max_labeled_leads"] = options.max_labeled_leads;
    metrics["data"]["n_labeled_before_cap"] = split.n_labeled_before_cap;
  }

  // Every lead scored, unknowns included.
  stage(options.progress, "score all leads");
  const std::vector<double> p_all = bundle.predict(t, nullptr, threads_of(options));
  RunFolder& run = open_run();
  const json extra = {{"model",
                       {{"model_type", bundle.model_type()},
                        {"model_type_requested", config.model.model_type},
                        {"calibration_method", config.model.calibration_method},
                        {"features", bundle.features.size()}}},
                      {"split", metrics["split"]}};
  auto names = write_build_artifacts(config, built, run, options, extra);
  io::write_file_atomically(run.file("metrics.json"), metrics.dump(2) + "\n");
  model::save_bundle(bundle, run.file("model.json"));
  names.push_back("metrics.json");
  names.push_back("model.json");
  for (auto& n :
       write_scores(config, built, bundle, p_all, run, threads_of(options), options.progress))
    names.push_back(n);
  // Last: it reads the artifacts written above (the scores from memory, not predictions.csv).
  const report::ScoresInMemory scores{&p_all, config.business.value_per_qualified,
                                      config.label.label_window_days};
  report::write_report(run.work_path(), &scores);
  names.push_back("report.html");
  return names;
}

std::vector<std::string> score_into(const Config& given, const ScoreOptions& options,
                                    const model::ModelBundle& bundle,
                                    const RunFolderFactory& open_run) {
  check_model_matches_config(bundle, given);
  // The effective config, as config.yaml records it: batch scoring reads no outcomes and
  // may score another leads file.
  Config config = given;
  if (options.batch) config.paths.outcomes_path.clear();
  // The lead form columns the model was trained with, encoded as in training (the config's
  // own lead_fields would fit another vocabulary).
  config.lead_fields = bundle.lead_form.lead_fields(config.lead_fields.max_categories);
  // The outcome history as the model was trained with it: from the outcomes when they are
  // read, else from the model's snapshot (docs/CONTRACT.md §4.8).
  config.features.outcome_history = bundle.outcome_history.has_value();
  if (bundle.outcome_history) config.features.outcome_history_prior = bundle.outcome_history->prior;
  if (!options.leads_path.empty())
    config.paths.leads_path = fs::absolute(options.leads_path).string();
  table::BuildOptions build_options;
  build_options.threads = options.run.threads;
  build_options.ignore_outcomes = options.batch;
  build_options.progress = options.run.progress;
  build_options.lead_form = &bundle.lead_form;
  if (bundle.outcome_history) build_options.outcome_history = &*bundle.outcome_history;
  const table::BuildResult built = table::build_table(config, build_options);
  model::check_features(bundle, built.table);
  stage(options.run.progress, "score");
  const std::vector<double> p = bundle.predict(built.table, nullptr, threads_of(options.run));

  RunFolder& run = open_run();
  const json extra = {
      {"model",
       {{"path", options.model_path.empty() ? std::string("(bundled demo model)")
                                            : fs::absolute(options.model_path).string()},
        {"model_type", bundle.model_type()},
        {"training", bundle.training}}},
      {"scoring", {{"batch", options.batch}}}};
  auto names = write_build_artifacts(config, built, run, options.run, extra);
  for (auto& n :
       write_scores(config, built, bundle, p, run, threads_of(options.run), options.run.progress))
    names.push_back(n);
  if (!bundle.drift_reference.empty()) {
    const json drift = drift_json(bundle.drift_reference, built.table, nullptr);
    io::write_file_atomically(run.file("drift.json"), drift.dump(2) + "\n");
    names.push_back("drift.json");
  }
  // Last: it reads the artifacts written above (the scores from memory, not predictions.csv).
  const report::ScoresInMemory scores{&p, config.business.value_per_qualified,
                                      config.label.label_window_days};
  report::write_report(run.work_path(), &scores);
  names.push_back("report.html");
  return names;
}

}  // namespace elv::run
