// creative_cluster_summary.csv (docs/CREATIVES.md, "Outputs"): what each cluster of
// creatives earns in a scoring run, counted as the run's leaderboards count (docs/CONTRACT.md
// §6): predicted ELV and P(qualified) from predictions.csv, mature labeled leads only for the
// observed rate, spend from the run's ads.csv over the scored leads' date range. Internal to
// run/ (creative_runs.cpp).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace elv::run::detail {

struct ClusterSummaryRow {
  int cluster_id = 0;
  int64_t creatives = 0, leads = 0, labeled_leads = 0;
  double mean_p_qualified = 0;        // NaN without leads
  double predicted_elv = 0;           // sum of predictions.csv's elv
  double spend = 0;                   // NaN when the run has no readable ads.csv
  double elv_per_spend = 0;           // NaN when spend is NaN or 0
  double qualified_rate_labeled = 0;  // NaN without labeled leads
  bool low_volume = false;            // leads < the run's min_segment_leads
};

struct ClusterSummary {
  std::vector<ClusterSummaryRow> rows;  // by cluster_id
  std::string currency;                 // the run's, "" when it has none
  int min_segment_leads = 30;
  int64_t leads_counted = 0;           // predictions rows whose ad has a creative
  int64_t leads_without_creative = 0;  // the others: in no cluster
  std::string spend_source;            // the ads.csv read, "" when none
  std::vector<std::string> warnings;
  nlohmann::json source;  // {"run_id", "path"} of the scoring run
};

// ad_ids[i] and cluster[i] per analysed creative; k clusters. Throws elv::Error naming the
// file when run_dir has no predictions.csv or it lacks the ad_id or elv column.
ClusterSummary summarise_clusters(const std::string& run_dir,
                                  const std::vector<std::string>& ad_ids,
                                  const std::vector<int>& cluster, size_t k, int threads);

// Throws elv::Error unless run_dir holds a predictions.csv (checked before any work).
void require_predictions(const std::string& run_dir);

void write_cluster_summary_csv(const ClusterSummary& summary, const std::string& path);

}  // namespace elv::run::detail
