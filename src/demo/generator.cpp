#include "demo/generator.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "base/calendar.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/format.h"
#include "base/parallel.h"
#include "demo/generator_parts.h"

namespace elv::demo {

using detail::AdsCube;
using detail::DateTexts;
using detail::DayChunk;
using detail::DayGenerator;
using detail::Entities;
using detail::generate_ads_cube;
using detail::kGeos;
using detail::kPlacements;
using detail::make_entities;
using detail::OutputFiles;
using detail::prepare_out_dir;
using detail::recorded_files;
using detail::remove_stale_outputs;
using detail::write_ad_creatives;
using detail::write_adset_targeting;
using detail::write_manifest;

namespace {

// Runs produce(i, slot) for i in [0, n) on `threads` workers while the calling thread
// runs consume(i, slot) strictly in order of i. At most `window` items are in flight, so
// memory stays bounded however many days there are. The first exception (from either
// side) stops the workers and is rethrown here.
template <class Slot, class Produce, class Consume>
void run_ordered(int64_t n, int threads, int window, const Produce& produce,
                 const Consume& consume) {
  std::vector<Slot> slots(static_cast<size_t>(window));
  std::vector<char> ready(static_cast<size_t>(window), 0);
  std::mutex mu;
  std::condition_variable cv;
  int64_t next = 0, consumed = 0;
  bool stop = false;
  std::exception_ptr error;

  auto worker = [&] {
    for (;;) {
      int64_t i;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stop || next >= n || next < consumed + window; });
        if (stop || next >= n) return;
        i = next++;
      }
      try {
        produce(i, slots[static_cast<size_t>(i % window)]);
      } catch (...) {
        std::lock_guard lock(mu);
        if (!error) error = std::current_exception();
        stop = true;
        cv.notify_all();
        return;
      }
      {
        std::lock_guard lock(mu);
        ready[static_cast<size_t>(i % window)] = 1;
      }
      cv.notify_all();
    }
  };
  // A pipeline, not a parallel-for (base/parallel.h): the workers fill a window of days
  // while this thread writes them out in order, so it keeps its own threads.
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  auto stop_workers = [&] {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    cv.notify_all();
    for (auto& th : pool) th.join();
  };

  try {
    for (int64_t i = 0; i < n; ++i) {
      const size_t s = static_cast<size_t>(i % window);
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return ready[s] || error; });
        if (error) break;
      }
      consume(i, slots[s]);
      {
        std::lock_guard lock(mu);
        ready[s] = 0;
        ++consumed;
      }
      cv.notify_all();
    }
  } catch (...) {
    stop_workers();
    throw;
  }
  stop_workers();
  if (error) std::rethrow_exception(error);
}

// ---------------------------------------------------------------------------------------
// The spec

// Sanity caps: far above any demo, low enough that a typo (an extra zero or three) gets a
// clear message instead of filling the disk or memory (ads metrics are kept in memory,
// 16 bytes per ad-day).
constexpr int64_t kMaxDays = 36'500;
constexpr int64_t kMaxAds = 1'000'000;
constexpr int64_t kMaxAdRows = 20'000'000;
constexpr int64_t kMaxLeads = 50'000'000;
constexpr int64_t kMaxLeadsPerDay = 10'000'000;
// Within the label window; above 0.6 the delay tail would need more than every lead.
constexpr double kMinQualifiedShare = 0.01;
constexpr double kMaxQualifiedShare = 0.6;

struct DateRange {
  int64_t first_day, last_day;
};

void check_positive(int64_t value, const char* option) {
  if (value < 1)
    throw UsageError(std::string("demo-data: ") + option + " must be at least 1 (got " +
                     std::to_string(value) + ")");
}

void check_cap(int64_t value, int64_t cap, const std::string& what) {
  if (value > cap)
    throw UsageError("demo-data: " + what + " would be " + std::to_string(value) +
                     ", above the cap of " + std::to_string(cap) + "; lower --days or the sizes");
}

// Validates sizes (each first against a per-option cap, so the products cannot
// overflow) and resolves the date range.
DateRange validate(const DemoDataSpec& spec) {
  check_positive(spec.days, "--days");
  check_positive(spec.campaigns, "--campaigns");
  check_positive(spec.adsets_per_campaign, "--adsets-per-campaign");
  check_positive(spec.ads_per_adset, "--ads-per-adset");
  check_positive(spec.leads_per_day, "--leads-per-day");
  check_cap(spec.days, kMaxDays, "--days");
  check_cap(spec.campaigns, kMaxAds, "--campaigns");
  check_cap(spec.adsets_per_campaign, kMaxAds, "--adsets-per-campaign");
  check_cap(spec.ads_per_adset, kMaxAds, "--ads-per-adset");
  check_cap(spec.leads_per_day, kMaxLeadsPerDay, "--leads-per-day");
  check_cap(spec.campaigns * spec.adsets_per_campaign, kMaxAds, "the number of ad sets");
  const int64_t n_ads = spec.campaigns * spec.adsets_per_campaign * spec.ads_per_adset;
  check_cap(n_ads, kMaxAds, "the number of ads");
  check_cap(n_ads * spec.days, kMaxAdRows, "the number of ads.csv rows (days x ads)");
  check_cap(spec.leads_per_day * spec.days, kMaxLeads,
            "the number of leads (days x leads per day)");
  // NaN fails both comparisons, so it is refused too.
  if (!(spec.qualified_share >= kMinQualifiedShare && spec.qualified_share <= kMaxQualifiedShare))
    throw UsageError("demo-data: --qualified-share must lie between " +
                     fixed(kMinQualifiedShare, 2) + " and " + fixed(kMaxQualifiedShare, 2) +
                     " (got " + fixed(spec.qualified_share, 4) + ")");

  int64_t last_day = day_of(now_seconds());  // SOURCE_DATE_EPOCH when set
  if (!spec.end_date.empty()) {
    // Exactly YYYY-MM-DD: date_days would also take a timestamp or surrounding spaces.
    const auto parsed = spec.end_date.size() == 10 ? parse::date_days(spec.end_date) : std::nullopt;
    if (!parsed)
      throw UsageError("demo-data: --end-date must be a valid date YYYY-MM-DD (got '" +
                       spec.end_date + "')");
    last_day = *parsed;
  }
  const int64_t first_day = last_day - (spec.days - 1);
  // Timestamps are formatted for years 1970..9999 (qualified times run up to
  // kMaxDelayDays + 1 days past the end).
  if (first_day < 0 || last_day > parse::days_from_civil(9999, 12, 1))
    throw UsageError("demo-data: the dates must lie between 1970-01-01 and 9999-12-01 (start " +
                     parse::format_date(static_cast<int32_t>(first_day)) + ", end " +
                     parse::format_date(static_cast<int32_t>(last_day)) + ")");
  return {first_day, last_day};
}

}  // namespace

std::vector<std::string> demo_data_file_names(const DemoDataSpec& spec) {
  std::vector<std::string> names = {"ads.csv", "leads.csv", "outcomes.csv"};
  if (spec.enrichments)
    for (const char* n :
         {"ads_placement.csv", "ads_geo.csv", "adset_targeting.csv", "ad_creatives.csv"})
      names.push_back(n);
  if (spec.truth) names.push_back("truth.csv");
  if (spec.lead_form) names.push_back("lead_download.csv");
  return names;
}

DemoDataResult generate_demo_data(const std::string& out_dir, const DemoDataSpec& spec) {
  const DateRange range = validate(spec);
  const int64_t n_days = range.last_day - range.first_day + 1;
  const std::vector<std::string> names = demo_data_file_names(spec);
  prepare_out_dir(out_dir, names, spec.overwrite);
  const std::set<std::string> earlier = recorded_files(out_dir).value_or(std::set<std::string>{});
  const int threads = resolve_threads(spec.threads);

  const Entities entities = make_entities(spec);
  const AdsCube cube = generate_ads_cube(entities, spec.seed, range.first_day, n_days, threads);
  const DateTexts dates(range.first_day, n_days + detail::kMaxDelayDays + 2);
  const DayGenerator generator(spec, entities, cube, dates, range.first_day, n_days);

  OutputFiles files(out_dir);
  const size_t ads_f = files.open("ads.csv");
  const size_t leads_f = files.open("leads.csv");
  const size_t outcomes_f = files.open("outcomes.csv");
  size_t placement_f = 0, geo_f = 0, truth_f = 0, lead_download_f = 0;
  files.write(ads_f,
              "date,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,impressions,clicks,"
              "spend\n");
  files.write(leads_f,
              "lead_id,created_time,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name\n");
  files.write(outcomes_f, "lead_id,qualified_time\n");
  if (spec.enrichments) {
    placement_f = files.open("ads_placement.csv");
    geo_f = files.open("ads_geo.csv");
    files.write(placement_f, "date,ad_id,placement,impressions,clicks,spend\n");
    files.write(geo_f, "date,ad_id,geo,impressions,clicks,spend\n");
    const size_t targeting_f = files.reserve("adset_targeting.csv");
    const size_t creatives_f = files.reserve("ad_creatives.csv");
    write_adset_targeting(files.tmp_path(targeting_f), spec, entities);
    write_ad_creatives(files.tmp_path(creatives_f), spec, entities);
  }
  if (spec.truth) {
    truth_f = files.open("truth.csv");
    files.write(truth_f, "lead_id,p_true\n");
  }
  if (spec.lead_form) {
    lead_download_f = files.open("lead_download.csv");
    files.write(lead_download_f, detail::LeadDownload::header());
  }

  DemoDataResult result;
  auto consume = [&](int64_t, const DayChunk& chunk) {
    files.write(ads_f, chunk.ads);
    files.write(leads_f, chunk.leads);
    files.write(outcomes_f, chunk.outcomes);
    if (spec.enrichments) {
      files.write(placement_f, chunk.placement);
      files.write(geo_f, chunk.geo);
    }
    if (spec.truth) files.write(truth_f, chunk.truth);
    if (spec.lead_form) files.write(lead_download_f, chunk.lead_download);
    result.n_qualified += chunk.n_qualified;
    result.n_qualified_in_window += chunk.n_qualified_in_window;
  };
  auto produce = [&](int64_t day_index, DayChunk& chunk) { generator.produce(day_index, chunk); };
  run_ordered<DayChunk>(n_days, threads, 4 * threads, produce, consume);

  result.files_written = files.commit();
  if (spec.overwrite) remove_stale_outputs(out_dir, earlier, names);
  write_manifest(out_dir, names);
  result.start_date = parse::format_date(static_cast<int32_t>(range.first_day));
  result.end_date = parse::format_date(static_cast<int32_t>(range.last_day));
  result.n_ads = static_cast<int64_t>(entities.n_ads());
  result.n_ads_rows = result.n_ads * n_days;
  result.n_leads = spec.leads_per_day * n_days;
  if (spec.enrichments) {
    result.n_placement_rows = result.n_ads_rows * static_cast<int64_t>(kPlacements.size());
    result.n_geo_rows = result.n_ads_rows * static_cast<int64_t>(kGeos.size());
  }
  return result;
}

}  // namespace elv::demo
