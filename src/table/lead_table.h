// The lead table (docs/CONTRACT.md §4.6): one row per lead, keys and names as dictionary codes,
// labels, and the numeric features in columns.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "contracts/frame.h"
#include "table/feature_column.h"

namespace elv::table {

enum class LabelStatus : int8_t { Unknown = 0, Positive = 1, Negative = 2 };
const char* label_status_name(LabelStatus s);

struct LeadTable {
  std::shared_ptr<contracts::Dictionaries> dicts;  // decodes every code column below
  int64_t n = 0;

  std::vector<int32_t> lead_id;                             // codes ("lead_id" dictionary)
  std::vector<int32_t> campaign_id, adset_id, ad_id;        // kNullCode = unknown
  std::vector<int32_t> campaign_name, adset_name, ad_name;  // kNullCode = empty
  std::vector<int64_t> created_time;                        // seconds, UTC
  std::vector<int32_t> lead_date;                           // days
  std::vector<int32_t> feature_end_date;
  std::vector<int8_t> lead_dow, lead_hour;
  std::vector<LabelStatus> label_status;
  std::vector<int8_t> is_mature;
  // 1 for a lead Meta's download marks is_organic (no ad bought it): scored, but left out of
  // the spend leaderboards. Empty when the leads file has no is_organic column.
  std::vector<int8_t> is_organic;

  // Numeric features, column-major; NaN = null. Includes lead_hour and lead_dow first.
  // Each column in the narrowest exact type (table/feature_column.h).
  std::vector<std::string> feature_names;
  std::vector<FeatureColumn> features;
  // Text label columns (e.g. placement_top1), not model features: codes in the
  // dictionary named by text_dictionaries (e.g. "placement").
  std::vector<std::string> text_names, text_dictionaries;
  std::vector<std::vector<int32_t>> texts;

  const std::string& str(const char* dictionary, int32_t code) const;
  int feature_index(const std::string& name) const;  // -1 when absent
  // Narrows every feature column that floats hold exactly: the build calls it after each
  // family of columns, so the doubles of all families never exist at once.
  void narrow_features();
};

}  // namespace elv::table
