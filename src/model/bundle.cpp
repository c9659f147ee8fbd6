#include "model/bundle.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "base/parallel.h"
#include "io/files.h"
#include "io/json_fields.h"
#include "io/parse.h"

namespace elv::model {

using nlohmann::json;

namespace {

const table::FeatureColumn& table_column(const table::LeadTable& t, const std::string& name) {
  const int f = t.feature_index(name);
  if (f < 0) throw Error("the table has no feature '" + name + "'", {}, -1, name);
  return t.features[static_cast<size_t>(f)];
}

}  // namespace

FeatureMatrix feature_matrix(const table::LeadTable& t, const std::vector<std::string>& features,
                             const std::vector<int64_t>* rows) {
  FeatureMatrix X;
  X.rows = rows ? static_cast<int64_t>(rows->size()) : t.n;
  X.names = features;
  X.columns.reserve(features.size());
  for (const auto& name : features) X.columns.push_back(table_column(t, name).to_vector(rows));
  return X;
}

FeatureMatrix feature_view(const table::LeadTable& t, const std::vector<std::string>& features,
                           const std::vector<int64_t>* rows) {
  FeatureMatrix X;
  X.rows = rows ? static_cast<int64_t>(rows->size()) : t.n;
  X.names = features;
  X.view_rows = rows;
  X.view.reserve(features.size());
  for (const auto& name : features) X.view.push_back(&table_column(t, name));
  return X;
}

std::vector<std::string> id_strings(const table::LeadTable& t, const char* column,
                                    const std::vector<int64_t>* rows) {
  const std::vector<int32_t>& codes =
      std::string(column) == "campaign_id" ? t.campaign_id : t.adset_id;
  const size_t n = rows ? rows->size() : static_cast<size_t>(t.n);
  std::vector<std::string> out(n);
  for (size_t i = 0; i < n; ++i)
    out[i] = t.str(column, codes[rows ? (*rows)[i] : static_cast<int64_t>(i)]);
  return out;
}

namespace {

// std::visit over several lambdas, one per model kind.
template <class... Visitors>
struct Overloaded : Visitors... {
  using Visitors::operator()...;
};
// Clang before 17 does not deduce an aggregate's template arguments on its own.
template <class... Visitors>
Overloaded(Visitors...) -> Overloaded<Visitors...>;

// The bundle's model, refusing an empty one (a bundle built by hand without a model) with an
// error rather than a null dereference.
const FittedModel& fitted(const FittedModel& model) {
  if (std::visit([](const auto& m) { return m == nullptr; }, model))
    throw Error("the model bundle holds no fitted model");
  return model;
}

// A NaN or infinite probability would be written as an empty cell and rank anywhere. The
// loader's limits keep weights and leaves sane, but a lead's values can still overflow the
// model's score (say a feature of 1e300 times a weight of 10), so every output is checked.
void require_finite(const std::vector<double>& p, const table::LeadTable& t,
                    const std::vector<int64_t>* rows, const std::string& model_name) {
  const auto bad = std::find_if(p.begin(), p.end(), [](double v) { return !std::isfinite(v); });
  if (bad == p.end()) return;
  const auto i = static_cast<size_t>(bad - p.begin());
  const int64_t row = rows ? (*rows)[i] : static_cast<int64_t>(i);
  throw Error("the model gives no probability (" +
                  std::string(std::isnan(*bad) ? "NaN" : "infinite") + ") for lead '" +
                  t.str("lead_id", t.lead_id[row]) +
                  "': its weights or this lead's feature values overflow; nothing was written",
              model_name.empty() ? "the trained model" : model_name);
}

}  // namespace

std::vector<double> ModelBundle::predict_raw(const table::LeadTable& t,
                                             const std::vector<int64_t>* rows, int threads) const {
  // In blocks of rows: each block is one worker's, and gbdt copies its block's values to
  // floats for XGBoost (a copy of the whole table would double the peak memory of scoring).
  constexpr size_t kBlock = 1 << 16;
  const size_t n = rows ? rows->size() : static_cast<size_t>(t.n);
  const size_t n_blocks = (n + kBlock - 1) / kBlock;
  // XGBoost spreads each block over the cores itself; a logreg block is one thread's work.
  const bool logreg = std::holds_alternative<std::shared_ptr<const LogregModel>>(model);
  const int workers = logreg ? resolve_threads(threads) : 1;
  std::vector<double> out(n);
  for_each_interleaved(static_cast<int64_t>(n_blocks), workers, [&](int64_t k) {
    const size_t begin = static_cast<size_t>(k) * kBlock;
    const size_t end = std::min(n, begin + kBlock);
    std::vector<int64_t> block;
    block.reserve(end - begin);
    for (size_t i = begin; i < end; ++i)
      block.push_back(rows ? (*rows)[i] : static_cast<int64_t>(i));
    const FeatureMatrix X = feature_view(t, features, &block);
    const std::vector<double> p = std::visit(
        Overloaded{[&](const std::shared_ptr<const LogregModel>& m) {
                     return m->predict(X, id_strings(t, "campaign_id", &block),
                                       id_strings(t, "adset_id", &block));
                   },
                   [&](const std::shared_ptr<const GbdtModel>& m) { return m->predict(X); }},
        fitted(model));
    std::copy(p.begin(), p.end(), out.begin() + static_cast<std::ptrdiff_t>(begin));
  });
  require_finite(out, t, rows, source);
  return out;
}

std::vector<double> ModelBundle::predict(const table::LeadTable& t,
                                         const std::vector<int64_t>* rows, int threads) const {
  // The calibrator maps finite input to [1e-6, 1 − 1e-6]; checked again all the same, as
  // this is what predictions.csv holds.
  std::vector<double> p = calibrator.apply(predict_raw(t, rows, threads));
  require_finite(p, t, rows, source);
  return p;
}

const char* ModelBundle::model_type() const {
  return std::holds_alternative<std::shared_ptr<const LogregModel>>(model) ? "logreg" : "gbdt";
}

const std::vector<std::string>& ModelBundle::model_features() const {
  return std::visit(
      Overloaded{[](const std::shared_ptr<const LogregModel>& m)
                     -> const std::vector<std::string>& { return m->preprocess().feature_names; },
                 [](const std::shared_ptr<const GbdtModel>& m) -> const std::vector<std::string>& {
                   return m->feature_names();
                 }},
      fitted(model));
}

namespace {

json lead_form_json(const table::LeadFormEncoding& e) {
  json categorical = json::array(), numeric = json::array();
  for (const auto& c : e.categorical)
    categorical.push_back({{"column", c.column}, {"header", c.header}, {"values", c.values}});
  for (const auto& f : e.numeric) numeric.push_back({{"column", f.column}, {"header", f.header}});
  return {{"is_organic", e.is_organic}, {"categorical", categorical}, {"numeric", numeric}};
}

table::LeadFormEncoding lead_form_from_json(const json& j) {
  const io::JsonFields fields(j, "lead_form");
  table::LeadFormEncoding e;
  e.is_organic = fields.boolean("is_organic");
  for (const json& c : fields.at("categorical")) {
    const io::JsonFields entry(c, "lead_form: categorical column");
    e.categorical.push_back(
        {entry.string("column"), entry.string("header"), entry.strings("values")});
  }
  for (const json& f : fields.at("numeric")) {
    const io::JsonFields entry(f, "lead_form: numeric column");
    e.numeric.push_back({entry.string("column"), entry.string("header")});
  }
  return e;
}

json history_counts_json(const table::HistoryCounts& c) {
  return {{"known", c.known}, {"qualified", c.qualified}};
}

table::HistoryCounts history_counts_from_json(const json& j, const std::string& where) {
  const io::JsonFields fields(j, where);
  const table::HistoryCounts c{fields.integer("known"), fields.integer("qualified")};
  if (c.known < 0 || c.qualified < 0 || c.qualified > c.known)
    throw Error(where + ": needs 0 <= qualified <= known");
  return c;
}

json outcome_history_json(const table::OutcomeHistorySnapshot& s) {
  json out = {{"as_of_date", parse::format_date(s.as_of_date)},
              {"prior", s.prior},
              {"account", history_counts_json(s.account)}};
  for (const auto& [level, counts] :
       {std::pair{"campaign", &s.campaign}, {"adset", &s.adset}, {"ad", &s.ad}}) {
    json by_id = json::object();
    for (const auto& [id, c] : *counts) by_id[id] = history_counts_json(c);
    out[level] = std::move(by_id);
  }
  return out;
}

table::OutcomeHistorySnapshot outcome_history_from_json(const json& j) {
  const io::JsonFields fields(j, "outcome_history");
  table::OutcomeHistorySnapshot s;
  const auto day = parse::date_days(fields.string("as_of_date"));
  if (!day) throw Error("outcome_history: field 'as_of_date' must be a date (YYYY-MM-DD)");
  s.as_of_date = *day;
  s.prior = fields.finite_number("prior");
  if (s.prior <= 0) throw Error("outcome_history: field 'prior' must be > 0");
  s.account = history_counts_from_json(fields.at("account"), "outcome_history: account");
  for (const auto& [level, counts] :
       {std::pair{"campaign", &s.campaign}, {"adset", &s.adset}, {"ad", &s.ad}}) {
    const io::JsonFields by_id = fields.object(level);
    for (const auto& [id, c] : fields.at(level).items())
      (*counts)[id] = history_counts_from_json(c, by_id.where() + " '" + id + "'");
  }
  return s;
}

}  // namespace

json to_json(const ModelBundle& b) {
  json drift = json::array();
  for (const auto& ref : b.drift_reference) drift.push_back(scoring::to_json(ref));
  json out = {{"format", kBundleFormat},
              {"format_version", kBundleFormatVersion},
              {"model_type", b.model_type()},
              {"features", b.features},
              {"model", std::visit([](const auto& m) { return m->to_json(); }, fitted(b.model))},
              {"calibrator", b.calibrator.to_json()},
              {"drift_reference", {{"psi_threshold", b.psi_threshold}, {"columns", drift}}},
              {"training", b.training}};
  if (!b.lead_form.empty()) out["lead_form"] = lead_form_json(b.lead_form);
  if (!b.feature_medians.empty()) {
    json medians = json::array();  // NaN has no JSON spelling: null
    for (double m : b.feature_medians) medians.push_back(std::isnan(m) ? json(nullptr) : json(m));
    out["feature_medians"] = medians;
  }
  if (b.outcome_history) out["outcome_history"] = outcome_history_json(*b.outcome_history);
  return out;
}

void save_bundle(const ModelBundle& b, const std::string& path) {
  io::write_file_atomically(path, to_json(b).dump(1) + "\n");
}

namespace {

// Limits (docs/LIMITS.md). A bundle is a few MB (XGBoost's JSON for 400 trees); anything
// past 1 GiB is the wrong file. Nesting: the deepest real bundle is about a dozen levels
// (XGBoost's trees); nlohmann parses any depth, but writing a document back (score copies
// the bundle's training context into metadata.json) recurses once per level, so a hostile
// file nested a million levels deep would overflow the stack there.
constexpr std::uintmax_t kMaxBundleBytes = std::uintmax_t{1} << 30;
constexpr int kMaxBundleDepth = 64;

// Deepest [ / { nesting outside strings; stops counting once past the limit.
int nesting_depth(const std::string& text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > kMaxBundleDepth) break;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// An integer that XGBoost's JSON writes as a string ("14") or a number.
int64_t xgb_int(const json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) throw Error(where + ": missing '" + key + "'");
  const json& v = j.at(key);
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    const std::string& t = v.get_ref<const std::string&>();
    if (!t.empty() && t.size() < 12 && t.find_first_not_of("0123456789") == std::string::npos)
      return std::stoll(t);
  }
  throw Error(where + ": '" + key + "' is not an integer");
}

// XGBoost trusts the counts in its JSON: a "trees" array longer than num_trees or than
// "tree_info", or a node array shorter than num_nodes, is read out of bounds at predict
// time (a crash found by fuzzing, not an error). GbdtModel::from_json checks each tree's
// links; this checks that the counts agree before XGBoost sees the document.
void check_xgboost_counts(const json& model, size_t n_features) {
  const std::string where = "gbdt model: 'xgboost'";
  const json& learner = model.at("xgboost").at("learner");
  if (xgb_int(learner.at("learner_model_param"), "num_feature", where) !=
      static_cast<int64_t>(n_features))
    throw Error(where + ": num_feature differs from the bundle's feature count");
  const json& booster = learner.at("gradient_booster").at("model");
  const json& trees = booster.at("trees");
  const json& info = booster.at("tree_info");
  const int64_t n_trees = xgb_int(booster.at("gbtree_model_param"), "num_trees", where);
  if (!trees.is_array() || !info.is_array() || static_cast<int64_t>(trees.size()) != n_trees ||
      info.size() != trees.size())
    throw Error(where + ": num_trees, 'trees' and 'tree_info' do not agree");
  if (xgb_int(booster.at("gbtree_model_param"), "num_parallel_tree", where) != 1)
    throw Error(where + ": num_parallel_tree must be 1");
  for (size_t t = 0; t < trees.size(); ++t) {
    const std::string tree_where = "gbdt model: tree " + std::to_string(t);
    const json& tree = trees[t];
    if (!info[t].is_number_integer() || info[t].get<int64_t>() != 0)
      throw Error(tree_where + ": 'tree_info' must be 0 (one output)");
    if (xgb_int(tree, "id", tree_where) != static_cast<int64_t>(t))
      throw Error(tree_where + ": 'id' out of order");
    const int64_t n_nodes = xgb_int(tree.at("tree_param"), "num_nodes", tree_where);
    if (xgb_int(tree.at("tree_param"), "num_feature", tree_where) !=
        static_cast<int64_t>(n_features))
      throw Error(tree_where + ": num_feature differs from the bundle's feature count");
    if (xgb_int(tree.at("tree_param"), "size_leaf_vector", tree_where) != 0)
      throw Error(tree_where + ": vector leaves are not supported");
    for (const char* key :
         {"left_children", "right_children", "parents", "split_indices", "split_conditions",
          "default_left", "base_weights", "loss_changes", "sum_hessian", "split_type"}) {
      const json& a = tree.at(key);
      if (!a.is_array() || static_cast<int64_t>(a.size()) != n_nodes)
        throw Error(tree_where + ": '" + key + "' does not hold num_nodes entries");
    }
    for (const json& st : tree.at("split_type"))
      if (!st.is_number_integer() || st.get<int64_t>() != 0)
        throw Error(tree_where + ": categorical splits are not supported");
    for (const char* key :
         {"categories", "categories_nodes", "categories_segments", "categories_sizes"})
      if (tree.contains(key) && (!tree.at(key).is_array() || !tree.at(key).empty()))
        throw Error(tree_where + ": categorical splits are not supported");
  }
}

}  // namespace

ModelBundle load_bundle(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  io::require_regular_file(path, "model file");  // a FIFO or /dev/zero is never opened
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxBundleBytes)
    throw Error("model file is " + std::to_string(size) + " bytes, above the limit of 1 GiB; " +
                    "is this the right file?",
                path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read model file", path);
  std::stringstream text;
  text << in.rdbuf();
  return parse_bundle(text.str(), path);
}

ModelBundle parse_bundle(const std::string& text, const std::string& path) {
  if (nesting_depth(text) > kMaxBundleDepth)
    throw Error("not a valid model file (JSON nested deeper than " +
                    std::to_string(kMaxBundleDepth) + " levels)",
                path);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    // parse_error for damaged or truncated text; out_of_range for a number beyond double
    // (1e999): either way the file is not a bundle elv wrote.
    throw Error(std::string("not a valid model file (damaged or truncated JSON: ") + e.what() + ")",
                path);
  }
  if (!j.is_object() || !j.contains("format"))
    throw Error("not an elv model file (no \"format\" field)", path);
  // json::value() would throw a type error on a non-integer version: compare by hand.
  const json version = j.contains("format_version") ? j["format_version"] : json(nullptr);
  if (j["format"] != kBundleFormat || !version.is_number_integer() ||
      version.get<int64_t>() != kBundleFormatVersion)
    throw Error("unsupported model format " + j["format"].dump() + " version " + version.dump() +
                    "; this elv reads " + kBundleFormat + " version " +
                    std::to_string(kBundleFormatVersion) + " (retrain the model with this version)",
                path);
  try {
    ModelBundle b;
    b.source = path;
    const std::string model_type = j.at("model_type").get<std::string>();
    b.features = j.at("features").get<std::vector<std::string>>();
    if (model_type == "logreg") {
      b.model = std::make_shared<const LogregModel>(LogregModel::from_json(j.at("model")));
    } else if (model_type == "gbdt") {
      check_xgboost_counts(j.at("model"), b.features.size());
      b.model = std::make_shared<const GbdtModel>(GbdtModel::from_json(j.at("model")));
    } else {
      throw Error("unknown model_type '" + model_type + "'");
    }
    // The model's own feature list must be the bundle's: predict() hands the model the
    // table's columns in the bundle's order, so a mismatch would read the wrong columns (or
    // past the end of the matrix) rather than fail. First:
    // the parts read below (lead_form, feature_medians) are checked against `features`.
    if (b.model_features() != b.features)
      throw Error("the model's feature list does not match the bundle's 'features'");
    if (j.contains("lead_form")) {
      b.lead_form = lead_form_from_json(j.at("lead_form"));
      for (const auto& f : b.lead_form.feature_names())
        if (std::find(b.features.begin(), b.features.end(), f) == b.features.end())
          throw Error("lead_form: feature '" + f + "' is not among the bundle's 'features'");
    }
    b.calibrator = Calibrator::from_json(j.at("calibrator"));
    const json& drift = j.at("drift_reference");
    b.psi_threshold = drift.value("psi_threshold", 0.2);
    for (const auto& ref : drift.at("columns"))
      b.drift_reference.push_back(scoring::psi_reference_from_json(ref));
    if (j.contains("feature_medians")) {
      const json& medians = j.at("feature_medians");
      if (!medians.is_array() || medians.size() != b.features.size())
        throw Error("'feature_medians' must be an array with one entry per feature");
      for (const json& m : medians) {
        if (!m.is_null() && !(m.is_number() && std::isfinite(m.get<double>())))
          throw Error("'feature_medians' entries must be finite numbers or null");
        b.feature_medians.push_back(m.is_null() ? std::nan("") : m.get<double>());
      }
    }
    if (j.contains("outcome_history"))
      b.outcome_history = outcome_history_from_json(j.at("outcome_history"));
    b.training = j.value("training", json::object());
    if (!b.training.is_object()) throw Error("'training' must be an object");
    // score compares these with the config (run/model_runs.cpp) and reads them as ints.
    for (const char* key : {"label_window_days", "feature_window_days", "feature_lag_days"})
      if (b.training.contains(key) && !b.training[key].is_number_integer())
        throw Error(std::string("'training.") + key + "' must be an integer");
    return b;
  } catch (const Error& e) {
    throw Error("damaged model file: " + e.message(), path);
  } catch (const json::exception& e) {
    throw Error(std::string("damaged model file: ") + e.what(), path);
  }
}

std::string feature_source(const std::string& f) {
  auto starts = [&](const char* p) { return f.rfind(p, 0) == 0; };
  if (starts("placement_")) return "ads_placement.csv (paths.ads_placement_path)";
  if (starts("geo_")) return "ads_geo.csv (paths.ads_geo_path)";
  if (starts("aud_kw_")) return "adset_targeting.csv (paths.adset_targeting_path)";
  if (starts("creative_")) return "ad_creatives.csv (paths.ad_creatives_path)";
  if (starts("lead_")) return "leads.csv (paths.leads_path)";
  for (const auto& name : table::outcome_history_feature_names())
    if (f == name)
      return "outcomes.csv (paths.outcomes_path), or the outcome history of a model.json that "
             "has one";
  if (starts("lf_"))
    return "a form answer column of leads.csv (paths.leads_path) listed in lead_fields";
  if (f == "is_organic" || starts("platform=") || starts("form_id="))
    return "the is_organic, platform and form_id columns of Meta's lead download "
           "(paths.leads_path)";
  return "ads.csv (paths.ads_path), with the same features.feature_window_days";
}

void check_features(const ModelBundle& b, const table::LeadTable& t) {
  for (const auto& f : b.features) {
    if (t.feature_index(f) < 0)
      throw Error("the model needs feature '" + f +
                  "', which this data does not have; it comes from " + feature_source(f) +
                  ". Provide that file (the model was trained with it) or retrain");
  }
}

}  // namespace elv::model

extern const char elv_demo_model_json[];
extern const std::size_t elv_demo_model_json_size;

namespace elv::model {

ModelBundle bundled_demo_model() {
  if (elv_demo_model_json_size == 0)
    throw Error(
        "this build has no bundled demo model; run scripts/build-demo-model.sh, or pass "
        "--model or --train");
  return parse_bundle(std::string(elv_demo_model_json, elv_demo_model_json_size),
                      "assets/demo_model.json (bundled)");
}

}  // namespace elv::model
