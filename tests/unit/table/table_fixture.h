// A tiny account on disk for build-table tests: CSV files written into a fresh temp
// folder and a Config pointing at them.
#pragma once
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "config/config.h"
#include "io/parse.h"
#include "table/build.h"

namespace elv::table::testing_support {

namespace fs = std::filesystem;

class Scenario {
 public:
  Scenario() {
    static int counter = 0;
    dir_ = fs::path(::testing::TempDir()) /
           ("elv_table_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    config.label.as_of_date = parse::date_days("2026-03-31");
  }
  ~Scenario() { fs::remove_all(dir_); }

  // Writes `text` as the named file and returns its path.
  std::string write(const std::string& name, const std::string& text) {
    const auto path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // One ads.csv row per day in [first, last] (YYYY-MM-DD) with the same metrics.
  static std::string daily_rows(const std::string& first, const std::string& last,
                                const std::string& campaign, const std::string& adset,
                                const std::string& ad, double impressions, double clicks,
                                double spend, const std::string& skip_day = "") {
    std::string out;
    for (int32_t d = *parse::date_days(first); d <= *parse::date_days(last); ++d) {
      const std::string day = parse::format_date(d);
      if (day == skip_day) continue;
      out += day + "," + campaign + ",Campaign " + campaign + "," + adset + ",Adset " + adset +
             "," + ad + ",Ad " + ad + "," + num(impressions) + "," + num(clicks) + "," +
             num(spend) + "\n";
    }
    return out;
  }
  static constexpr const char* kAdsHeader =
      "date,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,impressions,clicks,spend\n";

  BuildResult build() { return build_table(config, BuildOptions{1, false}); }

  // The value of a feature for the lead with this id (NaN = null).
  static double feature(const BuildResult& r, const std::string& lead, const std::string& name) {
    const int f = r.table.feature_index(name);
    EXPECT_GE(f, 0) << "no feature " << name;
    if (f < 0) return -12345;
    return r.table.features[f][row(r, lead)];
  }
  static LabelStatus status(const BuildResult& r, const std::string& lead) {
    return r.table.label_status[row(r, lead)];
  }
  static size_t row(const BuildResult& r, const std::string& lead) {
    const int32_t code = r.table.dicts->for_column("lead_id").find(lead);
    for (size_t i = 0; i < r.table.lead_id.size(); ++i)
      if (r.table.lead_id[i] == code) return i;
    ADD_FAILURE() << "no lead " << lead;
    return 0;
  }
  static std::string str(const BuildResult& r, const char* column, const std::string& lead) {
    const size_t i = row(r, lead);
    const std::string c = column;
    const std::vector<int32_t>& codes = c == "campaign_id"     ? r.table.campaign_id
                                        : c == "adset_id"      ? r.table.adset_id
                                        : c == "ad_id"         ? r.table.ad_id
                                        : c == "campaign_name" ? r.table.campaign_name
                                        : c == "adset_name"    ? r.table.adset_name
                                                               : r.table.ad_name;
    return r.table.str(column, codes[i]);
  }

  Config config;

 private:
  static std::string num(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    return s;
  }
  fs::path dir_;
};

}  // namespace elv::table::testing_support
