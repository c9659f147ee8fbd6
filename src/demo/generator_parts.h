// Internal to demo/: what the parts of the generator share. The generator (generator.cpp)
// validates the spec, builds the world (world.cpp: dates, entities with a latent quality,
// the daily ads metrics), then produces each day's rows on worker threads
// (day_generator.cpp: ads and breakdown rows, leads and their CRM outcomes) while it writes
// them out in order (output_files.cpp), beside the static enrichments
// (enrichment_files.cpp); with --lead-form, each lead's row of Meta's lead download too
// (lead_download.cpp).
#pragma once
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/calendar.h"
#include "demo/generator.h"
#include "demo/random.h"
#include "io/files.h"
#include "io/parse.h"

namespace elv::demo::detail {

// One RNG stream family per purpose, so switching enrichments or truth on or off never
// changes ads.csv, leads.csv or outcomes.csv, and --lead-form changes no other file. Values are
// part of the output contract: changing one changes the data a seed produces.
enum Purpose : uint64_t {
  kEntities = 1,
  kAdsDaily = 2,
  kLeads = 3,
  kOutcomes = 4,
  kCreatives = 5,
  kTargeting = 6,
  kTargetingTheme = 7,
  kGeoBase = 8,
  kPlacement = 9,
  kGeo = 10,
  kLeadForm = 11,  // lead_download.csv: organic, platform, answers, city
};

constexpr int kClickWeightDays = 7;  // leads follow the last week's clicks (reference)

constexpr std::array<std::string_view, 3> kPlacements = {"feed", "stories", "reels"};
constexpr std::array<double, 3> kPlacementAlpha = {2.0, 1.6, 1.3};
constexpr std::array<std::string_view, 5> kGeos = {"US-CA", "US-TX", "US-NY", "US-FL", "US-IL"};
constexpr double kGeoBaseAlpha = 2.0;
constexpr double kGeoNoiseAlpha = 1.5;
constexpr double kGeoBaseWeight = 0.75;

constexpr std::array<std::string_view, 34> kKeywordPool = {"small business",
                                                           "entrepreneurship",
                                                           "marketing",
                                                           "digital marketing",
                                                           "lead generation",
                                                           "facebook ads",
                                                           "instagram",
                                                           "ecommerce",
                                                           "shopify",
                                                           "real estate",
                                                           "mortgage",
                                                           "home improvement",
                                                           "fitness",
                                                           "personal training",
                                                           "weight loss",
                                                           "nutrition",
                                                           "dentist",
                                                           "chiropractor",
                                                           "med spa",
                                                           "cosmetic surgery",
                                                           "wedding",
                                                           "travel",
                                                           "insurance",
                                                           "accounting",
                                                           "law firm",
                                                           "solar",
                                                           "roofing",
                                                           "plumbing",
                                                           "hair salon",
                                                           "yoga",
                                                           "saas",
                                                           "crm",
                                                           "online course",
                                                           "coaching"};
constexpr int kThemeSize = 8;

// Qualification model: the reference generator's logit (ad quality, business hours,
// noise), with the intercept solved per data set for the requested qualified share
// (qualification_intercept), since the reference's fixed -1.8 gave 46–65 % by seed.
constexpr double kLogitQuality = 0.9;
constexpr double kBusinessHoursBoost = 0.25;  // created 09:00–17:59 UTC
constexpr double kOffHoursBoost = -0.05;
constexpr double kBusinessHoursShare = 9.0 / 24.0;  // leads arrive at a uniform second
constexpr double kLogitNoiseSd = 0.6;
constexpr int kTruthQuadraturePoints = 32;

// Qualification delay: whole days ~ geometric with this daily hazard (about 15 % of the
// qualified leads take longer than the 14-day label window, as CRM follow-ups do), capped
// at kMaxDelayDays, plus U{0..23} hours.
constexpr double kDelayDailyHazard = 0.127;
constexpr int kMaxDelayDays = 60;
// P(a qualified lead qualifies within the label window): days ≤ 13, or day 14 at hour 0
// (the label counts qualified_time ≤ created + window).
double share_within_window();

// ---------------------------------------------------------------------------------------
// Text. The hot path formats straight into per-day std::string buffers with to_chars:
// one append per cell, no allocation per row. Inline: they run for every cell.

inline void append_int(std::string& out, int64_t value) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, res.ptr);
}

// Python's f"{value:0{width}d}" for value >= 0: zero-padded to at least width digits.
inline void append_padded(std::string& out, int64_t value, int width) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  const int len = static_cast<int>(res.ptr - buf);
  if (len < width) out.append(static_cast<size_t>(width - len), '0');
  out.append(buf, res.ptr);
}

inline std::string padded(int64_t value, int width) {
  std::string out;
  append_padded(out, value, width);
  return out;
}

// Money as pandas prints a float rounded to cents: shortest form, always with a decimal
// point ("0.0", "12.5", "103.27"). Integer cents avoid any binary rounding on the way.
inline void append_cents(std::string& out, int64_t cents) {
  append_int(out, cents / 100);
  const int frac = static_cast<int>(cents % 100);
  out.push_back('.');
  out.push_back(static_cast<char>('0' + frac / 10));
  if (frac % 10 != 0) out.push_back(static_cast<char>('0' + frac % 10));
}

inline void append_two_digits(std::string& out, int64_t value) {
  out.push_back(static_cast<char>('0' + value / 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

// Dates of every day a file can mention (the data range plus the label window after it),
// formatted once.
class DateTexts {
 public:
  DateTexts(int64_t first_day, int64_t n_days) : first_day_(first_day) {
    text_.reserve(static_cast<size_t>(n_days));
    for (int64_t i = 0; i < n_days; ++i)
      text_.push_back(parse::format_date(static_cast<int32_t>(first_day + i)));
  }
  const std::string& date(int64_t day) const {
    return text_[static_cast<size_t>(day - first_day_)];
  }
  // "2026-01-02T03:04:05+00:00", the form of Python's datetime.isoformat() in UTC.
  void append_timestamp(std::string& out, int64_t seconds) const {
    const int64_t day = seconds / kSecondsPerDay;  // never before 1970: validated
    const int64_t sec = seconds - day * kSecondsPerDay;
    out.append(date(day));
    out.push_back('T');
    append_two_digits(out, sec / 3600);
    out.push_back(':');
    append_two_digits(out, sec / 60 % 60);
    out.push_back(':');
    append_two_digits(out, sec % 60);
    out.append("+00:00");
  }

 private:
  int64_t first_day_;
  std::vector<std::string> text_;
};

// ---------------------------------------------------------------------------------------
// The world (world.cpp)

// Campaigns → ad sets → ads, each with a latent quality.
struct Entities {
  std::vector<std::string> campaign_id;
  std::vector<std::string> adset_id;
  std::vector<int64_t> adset_campaign;
  std::vector<std::string> ad_id;
  std::vector<int64_t> ad_campaign;
  std::vector<double> ad_quality;
  // "campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name", shared by ads.csv and
  // leads.csv rows. IDs and names never need CSV quoting.
  std::vector<std::string> ad_key_columns;
  size_t n_ads() const { return ad_id.size(); }
};

Entities make_entities(const DemoDataSpec& spec);

// Daily ads metrics, kept in memory: leads need the last week's clicks and the
// breakdowns need each row's totals. Index: day * n_ads + ad.
struct AdsCube {
  size_t n_ads = 0;
  std::vector<int32_t> impressions, clicks;
  std::vector<int64_t> spend_cents;
  size_t at(int64_t day, size_t ad) const { return static_cast<size_t>(day) * n_ads + ad; }
};

// Days are independent streams, so they split over threads in any way without changing
// a single draw.
AdsCube generate_ads_cube(const Entities& e, uint64_t seed, int64_t first_day, int64_t n_days,
                          int threads);
// Cumulative lead-allocation weights: each ad's clicks over the last week of the range.
std::vector<int64_t> lead_allocation_cdf(const AdsCube& cube, int64_t n_days);
// The intercept that makes the expected share of leads qualified within the label window
// equal `share` (leads allocated by `allocation_cdf`, a uniform second of the day).
double qualification_intercept(const Entities& e, const std::vector<int64_t>& allocation_cdf,
                               double share);
// P(qualified within the label window) of a lead, per ad and hour class:
// [ad][business hours] (truth.csv's p_true).
std::vector<std::array<double, 2>> truth_table(const Entities& e, double intercept);

// ---------------------------------------------------------------------------------------
// lead_download.csv (lead_download.cpp): the leads of leads.csv as Meta's "Download leads"
// CSV writes them, with form answers drawn from the lead's outcome.

class LeadDownload {
 public:
  explicit LeadDownload(const Entities& e);
  static std::string_view header();
  // One lead's row. Draws only from rng (the day's kLeadForm stream), so the other files
  // never depend on whether this one is written.
  void append_row(Rng& rng, std::string_view lead_id, int64_t seq, int64_t created, size_t ad,
                  bool qualified, const DateTexts& dates, std::string& out) const;

 private:
  std::vector<std::string> ad_columns_;    // [ad] "ag:…,ad_name,as:…,…,c:…,campaign_name"
  std::vector<std::string> form_columns_;  // [ad] "f:…,form_name" of its campaign's form
};

// ---------------------------------------------------------------------------------------
// One day's output, produced on a worker and written in day order by the main thread
// (day_generator.cpp)

struct LeadDraw {
  int32_t second;  // of the day
  int32_t ad;
};

struct DayChunk {
  std::string ads, leads, outcomes, truth, placement, geo, lead_download;
  int64_t n_qualified = 0;            // ever (a row with a qualified_time)
  int64_t n_qualified_in_window = 0;  // within the label window
  std::vector<LeadDraw> draws;        // scratch, kept to reuse its capacity
  void clear() {
    for (auto* s : {&ads, &leads, &outcomes, &truth, &placement, &geo, &lead_download}) s->clear();
    n_qualified = 0;
    n_qualified_in_window = 0;
  }
};

// Every daily row of one day: ads.csv, its placement and geo breakdowns, the day's leads,
// their outcomes (the CRM's qualification events) and truth. Each day draws from streams of
// its own, so days can be produced on any thread, in any order.
class DayGenerator {
 public:
  DayGenerator(const DemoDataSpec& spec, const Entities& e, const AdsCube& cube,
               const DateTexts& dates, int64_t first_day, int64_t n_days);
  void produce(int64_t day_index, DayChunk& out) const;

 private:
  static std::vector<std::array<double, 5>> geo_base_mixtures(uint64_t seed, int64_t campaigns);
  void append_ads_rows(int64_t day_index, std::string& out) const;
  template <size_t K>
  static void split_clicks(Rng& rng, int64_t total_clicks,
                           const std::array<int64_t, K>& impressions,
                           std::array<int64_t, K>& clicks);
  template <size_t K>
  void append_breakdown(Rng& rng, const std::string& date, size_t i, const std::string& ad_id,
                        const std::array<std::string_view, K>& dims,
                        const std::array<double, K>& shares, std::string& out) const;
  void append_placement_rows(int64_t day_index, std::string& out) const;
  void append_geo_rows(int64_t day_index, std::string& out) const;
  void append_leads(int64_t day_index, DayChunk& out) const;
  static int64_t qualified_time(Rng& rng, int64_t created);
  static size_t format_lead_id(int64_t seq, char* buf);

  const DemoDataSpec& spec_;
  const Entities& e_;
  const AdsCube& cube_;
  const DateTexts& dates_;
  int64_t first_day_;
  std::vector<int64_t> allocation_cdf_;
  double intercept_ = 0.0;                       // qualification_intercept for spec.qualified_share
  std::vector<std::array<double, 2>> truth_;     // [ad][business hours]
  std::vector<std::array<double, 5>> geo_base_;  // [campaign]
  std::optional<LeadDownload> lead_download_;    // when spec.lead_form
};

// ---------------------------------------------------------------------------------------
// Static enrichments, one row per ad or ad set (enrichment_files.cpp)

void write_ad_creatives(const std::string& path, const DemoDataSpec& spec, const Entities& e);
void write_adset_targeting(const std::string& path, const DemoDataSpec& spec, const Entities& e);

// ---------------------------------------------------------------------------------------
// Output files (output_files.cpp): written as "<name>.tmp" and renamed together at the
// end, so a killed or failed run never leaves a complete-looking half file. Unfinished
// temporaries are removed on failure.

class OutputFiles {
 public:
  explicit OutputFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}
  ~OutputFiles();
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;

  // Registers a file; returns its index. The temporary is opened for write().
  size_t open(const std::string& name);
  // Registers a file that someone else writes at tmp_path(index).
  size_t reserve(const std::string& name);
  std::string tmp_path(size_t index) const { return files_[index].tmp.string(); }
  void write(size_t index, std::string_view bytes);
  // Closes everything, then renames each temporary onto its final name.
  std::vector<std::string> commit();

 private:
  struct File {
    std::filesystem::path final_path, tmp;
    io::UniqueFile handle;
  };
  std::filesystem::path dir_;
  std::vector<File> files_;
  bool committed_ = false;
};

// demo-data's record of the files it wrote into a folder (demo_data.json). --overwrite
// replaces, and removes, only files an earlier demo-data listed there: never a file of the
// same name that someone else put there (their own ads.csv, say).

// The file names an earlier demo-data recorded in dir (the manifest itself included), or
// nullopt when dir holds no manifest of demo-data's.
std::optional<std::set<std::string>> recorded_files(const std::filesystem::path& dir);
void write_manifest(const std::filesystem::path& dir, const std::vector<std::string>& names);
// Creates dir; refuses a file of names (or the manifest) already there unless overwrite and
// the manifest lists it.
void prepare_out_dir(const std::filesystem::path& dir, const std::vector<std::string>& names,
                     bool overwrite);
// After an --overwrite run, removes the files of the earlier data set this run did not write.
void remove_stale_outputs(const std::filesystem::path& dir, const std::set<std::string>& earlier,
                          const std::vector<std::string>& written);

}  // namespace elv::demo::detail
