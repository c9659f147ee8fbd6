// `elv demo-data`: write a synthetic data set (docs/CONTRACT.md §7) into a folder.
#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "demo/generator.h"

namespace elv::cli {

namespace {

struct DemoDataOptions {
  std::string out_dir;
  elv::demo::DemoDataSpec spec;
  bool no_enrichments = false;
};

void run_demo_data(const DemoDataOptions& options) {
  elv::demo::DemoDataSpec spec = options.spec;
  spec.enrichments = !options.no_enrichments;
  const auto started = std::chrono::steady_clock::now();
  const auto result = elv::demo::generate_demo_data(options.out_dir, spec);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const auto& path : result.files_written) std::printf("%s\n", path.c_str());
  std::fflush(stdout);
  std::fprintf(stderr,
               "demo-data: %lld ads, %lld ads rows, %lld leads (%lld qualified, %lld of them "
               "within 14 days), %s..%s, seed %llu, in %.2f s\n",
               static_cast<long long>(result.n_ads), static_cast<long long>(result.n_ads_rows),
               static_cast<long long>(result.n_leads), static_cast<long long>(result.n_qualified),
               static_cast<long long>(result.n_qualified_in_window), result.start_date.c_str(),
               result.end_date.c_str(), static_cast<unsigned long long>(spec.seed), seconds);
}

}  // namespace

void add_demo_data_command(CLI::App& app) {
  // The options must outlive parse(); the callback and the app share them.
  auto options = std::make_shared<DemoDataOptions>();
  auto& spec = options->spec;
  CLI::App* cmd = app.add_subcommand(
      "demo-data",
      "Write a synthetic Meta Lead Ads data set (ads, leads, outcomes and enrichments) into a "
      "folder; deterministic for a given seed and end date");
  cmd->add_option("--out", options->out_dir, "Output folder (created if missing)")->required();
  cmd->add_option("--seed", spec.seed, "Random seed")->capture_default_str();
  cmd->add_option("--days", spec.days, "Number of days of data")->capture_default_str();
  cmd->add_option("--end-date", spec.end_date, "Last day, YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--campaigns", spec.campaigns, "Number of campaigns")->capture_default_str();
  cmd->add_option("--adsets-per-campaign", spec.adsets_per_campaign, "Ad sets per campaign")
      ->capture_default_str();
  cmd->add_option("--ads-per-adset", spec.ads_per_adset, "Ads per ad set")->capture_default_str();
  cmd->add_option("--leads-per-day", spec.leads_per_day, "Leads per day")->capture_default_str();
  cmd->add_option("--qualified-share", spec.qualified_share,
                  "Expected share of leads qualified within the 14-day label window, 0.01 to 0.6 "
                  "(real lead forms: about 0.05 to 0.30)")
      ->capture_default_str();
  cmd->add_flag("--no-enrichments", options->no_enrichments,
                "Write only ads.csv, leads.csv and outcomes.csv");
  cmd->add_flag("--truth", spec.truth,
                "Also write truth.csv (lead_id, p_true: the noise-free qualification probability)");
  cmd->add_flag("--lead-form", spec.lead_form,
                "Also write lead_download.csv: the same leads as Meta's \"Download leads\" CSV "
                "(l:/ag:/as:/c:/f: IDs, form, is_organic, platform, three form answers that depend "
                "on the outcome, fake contact columns)");
  cmd->add_flag("--overwrite", spec.overwrite,
                "Replace an earlier data set in the folder: only files an earlier demo-data "
                "recorded in its demo_data.json are replaced (or removed, e.g. ads_geo.csv with "
                "--no-enrichments); any other file of the same name is refused, exit 1");
  cmd->callback([options] { run_demo_data(*options); });
}

}  // namespace elv::cli
