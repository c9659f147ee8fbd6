// `elv demo-data`: a synthetic Meta Lead Ads data set (docs/CONTRACT.md §7) with the columns and
// distributions of the reference tool's generator — an entity hierarchy with latent
// quality, weekday seasonality, leads allocated by recent clicks, qualification driven by
// ad quality and business hours, and enrichment breakdowns that sum to the ads totals.
//
// Deterministic: the same spec (seed, end date, sizes) gives byte-identical files on any
// thread count, because every random draw comes from a stream keyed by
// (seed, purpose, day) — see demo/random.h.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace elv::demo {

struct DemoDataSpec {
  uint64_t seed = 7;
  int64_t days = 60;
  std::string end_date;  // "YYYY-MM-DD"; empty = today (UTC)
  int64_t campaigns = 5;
  int64_t adsets_per_campaign = 4;
  int64_t ads_per_adset = 4;
  int64_t leads_per_day = 200;
  // Expected share of leads qualified within the label window (real lead forms: about
  // 5–30 %); the generator solves its qualification intercept for it.
  double qualified_share = 0.15;
  bool enrichments = true;  // ads_placement, ads_geo, adset_targeting, ad_creatives
  bool truth = false;       // truth.csv: lead_id, p_true
  bool lead_form = false;   // lead_download.csv: the leads as Meta's "Download leads" CSV,
                            // with form answers that carry signal about the outcome
  bool overwrite = false;   // replace an earlier data set in out_dir: only files its
                            // demo_data.json lists (those this spec does not write are
                            // removed, so none is left stale); never anyone else's file
  int threads = 0;          // 0 = min(2, hardware threads); output never depends on it
};

struct DemoDataResult {
  std::vector<std::string> files_written;  // full paths, in a fixed order
  std::string start_date, end_date;        // "YYYY-MM-DD", inclusive
  int64_t n_ads = 0;                       // distinct ads
  int64_t n_ads_rows = 0;                  // ads.csv rows = days × ads
  int64_t n_leads = 0;
  int64_t n_qualified = 0;            // leads with a qualified_time (any delay)
  int64_t n_qualified_in_window = 0;  // of them, within the label window
  int64_t n_placement_rows = 0;
  int64_t n_geo_rows = 0;
};

// Label window of the generated outcomes (the reference's label_window_days).
inline constexpr int kDemoLabelWindowDays = 14;

// Throws elv::UsageError for an invalid spec (sizes, dates, the size cap) and
// elv::Error when out_dir holds a file it would write (without overwrite; with overwrite,
// one an earlier demo-data did not record in demo_data.json) or on I/O failure. Files are
// written as "<name>.tmp" and renamed only once all are complete; demo_data.json, listing
// them, last.
DemoDataResult generate_demo_data(const std::string& out_dir, const DemoDataSpec& spec);

// The names of the files a spec writes, in the order of files_written.
std::vector<std::string> demo_data_file_names(const DemoDataSpec& spec);

}  // namespace elv::demo
