// The report's first two sections: the run summary (what ran, on which files, with which
// windows and split) and data health (the join, the labels, enrichment coverage, warnings).
#include <algorithm>
#include <cmath>

#include "report/html_parts.h"
#include "report/svg.h"

namespace elv::report::detail {

// ---------------------------------------------------------------------------------------
// Run summary

namespace {

Rows run_rows(const Run& r) {
  const json* m = meta(r);
  const std::string id = run_id(r);
  return {{"Run id", code(id)},
          {"Kind",
           "<strong>" + esc(shown_kind_name(r)) + "</strong>: " + esc(shown_kind_description(r))},
          {"Command", m ? code(str(at(m, {"command"}))) : ""},
          {"elv version", esc(str(at(m, {"elv_version"})))},
          {"Created (UTC)", esc(str(at(m, {"created_at_utc"})))}};
}

// With the run's currency when the config or the spend headers named one (metadata.json).
std::string value_per_qualified_html(const Run& r) {
  if (!r.settings.value_per_qualified) return "";
  if (r.settings.value_is_placeholder())
    return money(r, *r.settings.value_per_qualified) +
           " <span class=\"badge flag\">placeholder: not set</span>";
  const std::string& source = r.settings.value_source;
  return money(r, *r.settings.value_per_qualified) +
         (source.empty() ? "" : " <span class=\"small\">(" + esc(source) + ")</span>");
}

Rows model_rows(const Run& r) {
  const json* m = at(meta(r), {"model"});
  Rows rows;
  if (r.kind == RunKind::kScore || r.kind == RunKind::kBatchScore) {
    const json* t = at(m, {"training"});
    rows.push_back({"Model file", code(str(at(m, {"path"})))});
    rows.push_back({"Model type", model_type_words(str(at(m, {"model_type"})))});
    rows.push_back({"Calibration", esc(str(at(t, {"calibration_method"})))});
    rows.push_back(
        {"Model trained",
         esc(str(at(t, {"created_at_utc"}))) +
             (at(t, {"as_of_date"}) ? " (data as of " + esc(str(at(t, {"as_of_date"}))) + ")"
                                    : "")});
  } else {
    std::string type = model_type_words(str(at(m, {"model_type"})));
    const std::string requested = str(at(m, {"model_type_requested"}));
    if (requested == "auto")
      type +=
          " (chosen by auto: both kinds trained, this one had the lower log loss on the "
          "calibration split)";
    else if (!requested.empty() && requested != str(at(m, {"model_type"})))
      type += " (requested as " + esc(requested) + ")";
    rows.push_back({"Model type", type});
    rows.push_back({"Calibration", esc(str(at(m, {"calibration_method"})))});
    rows.push_back({"Features", esc(str(at(m, {"features"})))});
  }
  rows.push_back({"Value per qualified lead", value_per_qualified_html(r)});
  return rows;
}

std::string days(const json* j) {
  const std::string n = str(j);
  return n.empty() ? "" : esc(n) + (n == "1" ? " day" : " days");
}

// The split of a train run, or the one the model of a score run was trained with.
std::string split_html(const Run& r) {
  const json* m = meta(r);
  if (r.kind == RunKind::kTrain) {
    const json* s = at(m, {"split"});
    if (!s && r.metrics.status.ok()) s = at(&r.metrics.value, {"split"});
    const json* d = r.metrics.status.ok() ? at(&r.metrics.value, {"data"}) : nullptr;
    if (!s) return "";
    auto n = [&](const char* key) {
      const std::string c = count_of(at(d, {key}));
      return c.empty() ? std::string() : " (" + c + " leads)";
    };
    return "train: leads up to " + when(at(s, {"train_end_time"})) + n("n_train") +
           "<br/>calibration: up to " + when(at(s, {"calib_end_time"})) + n("n_calib") +
           "<br/>test: after that" + n("n_test");
  }
  const json* t = at(m, {"model", "training"});
  if (!t) return "";
  return "the model was trained on leads up to " + when(at(t, {"train_end_time"})) +
         " and calibrated on leads up to " + when(at(t, {"calib_end_time"}));
}

Rows window_rows(const Run& r) {
  const json* f = facts(r);
  const json* lab = at(f, {"labeling"});
  const json* feat = at(f, {"features"});
  std::string covered;
  if (const json* c = at(feat, {"ads_covered_days"}))
    covered = esc(str(at(c, {"first"}))) + " to " + esc(str(at(c, {"last"})));
  return {{"as_of_date", esc(str(at(lab, {"as_of_date"})))},
          {"Maturity cutoff", at(lab, {"maturity_cutoff_utc"})
                                  ? when(at(lab, {"maturity_cutoff_utc"})) +
                                        " <span class=\"small\">(leads created before it have had "
                                        "the whole label window)</span>"
                                  : ""},
          {"Label window", days(at(lab, {"label_window_days"}))},
          {"Feature window", days(at(feat, {"feature_window_days"}))},
          {"Feature lag", at(feat, {"feature_lag_days"})
                              ? days(at(feat, {"feature_lag_days"})) +
                                    " <span class=\"small\">(features use ads data up to the "
                                    "lead's date minus the lag)</span>"
                              : ""},
          {"Ads data covers", covered},
          {"Split", split_html(r)}};
}

// Input files in the order a reader thinks of them; unknown kinds after, alphabetically.
std::vector<std::string> input_order(const json& inputs) {
  static const char* const kOrder[] = {"leads",           "ads",           "outcomes",
                                       "lead_to_ad_map",  "ads_placement", "ads_geo",
                                       "adset_targeting", "ad_creatives"};
  std::vector<std::string> keys;
  for (const char* k : kOrder)
    if (inputs.contains(k)) keys.emplace_back(k);
  for (const auto& [k, v] : inputs.items())
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  return keys;
}

std::string inputs_table(const Run& r) {
  const json* inputs = at(facts(r), {"inputs"});
  if (!inputs || !inputs->is_object() || inputs->empty())
    return absent("No input files are recorded.");
  std::vector<std::vector<std::string>> rows;
  for (const std::string& kind : input_order(*inputs)) {
    const json* in = at(inputs, {kind});
    const std::string path = str(at(in, {"path"}));
    const double mb = num(at(in, {"size_mb"}));
    rows.push_back({esc(kind),
                    "<strong>" + esc(basename(path)) + "</strong><br/><span class=\"small\">" +
                        code(path) + "</span>",
                    esc(count_of(at(in, {"rows"}))), std::isfinite(mb) ? svg::fixed(mb, 2) : ""});
  }
  return grid_table({"input", "file", "rows", "size (MB)"}, rows, {false, false, true, true});
}

}  // namespace

std::string summary_html(const Run& r) {
  std::string s = kv_table(run_rows(r));
  if (!r.metadata.status.ok())
    s += problem(unusable(r.metadata.status, "metadata.json",
                          "the command, version and model details are unknown"));
  const std::string windows =
      h3("summary-windows", "Labels, features and split") + kv_table(window_rows(r));
  s += scored(r.kind) ? pair(h3("summary-model", "Model") + kv_table(model_rows(r)), windows)
                      : windows;
  s += h3("summary-inputs", "Input files") + inputs_table(r);
  return s;
}

// ---------------------------------------------------------------------------------------
// Data health

namespace {

std::string join_strategy(const std::string& s) {
  if (s == "id") return "by IDs on leads.csv";
  if (s == "map") return "through lead_to_ad_map.csv";
  if (s == "name") return "by names (each name to its most frequent ID)";
  return s;
}

std::string join_html(const json* f) {
  const json* j = at(f, {"join"});
  if (!j) return absent("No join facts are recorded.");
  const double rate = num(at(j, {"match_rate"}));
  std::string rate_html = format_percent(rate);
  if (std::isfinite(rate) && rate < 0.9)
    rate_html += " <span class=\"badge flag\">below 90 %</span>";
  std::string levels;
  if (const json* lv = at(j, {"feature_level"}); lv && lv->is_object())
    for (const auto& [level, n] : lv->items())
      levels += (levels.empty() ? "" : ", ") + esc(level) + " " + esc(count_of(&n));
  return kv_table(
      {{"Strategy", esc(join_strategy(str(at(j, {"strategy"}))))},
       {"Match rate", rate_html},
       {"Leads in the file", esc(count_of(at(j, {"leads_in_file"})))},
       {"Leads in the table", esc(count_of(at(j, {"rows"})))},
       {"Dropped: no lead_id", esc(count_of(at(j, {"dropped_missing_lead_id"})))},
       {"Dropped: bad created_time", esc(count_of(at(j, {"dropped_bad_created_time"})))},
       {"Duplicate lead IDs", esc(count_of(at(j, {"duplicate_lead_ids"})))},
       {"Ads features from level", levels}});
}

std::string labels_html(const json* f) {
  const json* l = at(f, {"labeling"});
  if (!l) return absent("No label facts are recorded.");
  const double pos = num(at(l, {"counts", "positive"})), neg = num(at(l, {"counts", "negative"}));
  const json* errors = at(l, {"data_errors"});
  std::string errors_html;
  if (errors && errors->is_object())
    for (const auto& [name, n] : errors->items())
      errors_html += (errors_html.empty() ? "" : ", ") + esc(name) + " " + esc(count_of(&n));
  return kv_table(
      {{"Qualified (positive)", esc(count_of(at(l, {"counts", "positive"})))},
       {"Not qualified (negative)", esc(count_of(at(l, {"counts", "negative"})))},
       {"Unknown (too recent, or no outcomes)", esc(count_of(at(l, {"counts", "unknown"})))},
       {"Qualified share of labeled leads", pos + neg > 0 ? format_percent(pos / (pos + neg)) : ""},
       {"Outcomes file used", esc(str(at(l, {"outcomes_available"})))},
       {"Qualifications after as_of_date (not visible)",
        esc(count_of(at(l, {"outcomes_after_as_of_date"})))},
       {"Outcome data errors", errors_html}});
}

std::string enrichments_html(const json* f) {
  const json* e = at(f, {"enrichments"});
  if (!e || !e->is_array() || e->empty()) return absent("No enrichment files were used.");
  std::vector<std::vector<std::string>> rows;
  for (const json& item : *e) {
    const json* features = at(&item, {"features"});
    rows.push_back(
        {esc(str(at(&item, {"kind"}))), esc(basename(str(at(&item, {"path"})))),
         esc(count_of(at(&item, {"rows"}))), format_percent(num(at(&item, {"lead_coverage"}))),
         features && features->is_array() ? format_count(static_cast<int64_t>(features->size()))
                                          : ""});
  }
  return grid_table({"enrichment", "file", "rows", "leads covered", "features"}, rows,
                    {false, false, true, true, true});
}

}  // namespace

// Every warning of the run: metadata.json's, then any only the profile has.
std::vector<std::string> warnings_of(const Run& r) {
  std::vector<std::string> out;
  for (const JsonArtifact* a : {&r.metadata, &r.profile}) {
    if (!a->status.ok()) continue;
    const json* w = at(&a->value, {"warnings"});
    if (!w || !w->is_array()) continue;
    for (const json& item : *w) {
      const std::string text = item.is_string() ? item.get<std::string>() : item.dump();
      if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
    }
  }
  return out;
}

namespace {

std::string warnings_html(const Run& r) {
  const std::vector<std::string> warnings = warnings_of(r);
  if (warnings.empty()) return para("No warnings.");
  std::string s = "<ul class=\"warnings\">\n";
  for (const auto& w : warnings) s += "<li>" + esc(w) + "</li>\n";
  return s + "</ul>\n";
}

}  // namespace

std::string data_health_html(const Run& r) {
  const json* f = facts(r);
  if (!f)
    return absent(
        "metadata.json and data_profile.json are both missing or unreadable, so the join, "
        "label and enrichment facts are unknown.");
  return pair(h3("health-join", "Join of leads to ads") + join_html(f),
              h3("health-labels", "Labels") + labels_html(f)) +
         h3("health-enrichments", "Enrichment coverage") + enrichments_html(f) +
         h3("health-warnings", "Warnings") + warnings_html(r);
}

}  // namespace elv::report::detail
