// What each model feature means to a marketer, in one table (docs/CONTRACT.md §6): its label
// ("7-day click-through rate of the ad"), whether it moves with time (drift, docs/DRIFT.md),
// and how a lead's value of it is put into words (the reasons of predictions.csv). Every
// feature the lead table can produce has words here; a name it does not know keeps its name.
#pragma once
#include <string>

namespace elv::scoring {

// How a lead's value of the feature reads in a reason.
enum class ValueKind {
  kAmount,   // "high" / "low" against the training reference
  kFlag,     // a 0/1 column: "yes" / "no"
  kHour,     // lead_hour: the hour itself ("22h")
  kWeekday,  // lead_dow (Monday = 0): the day's name
};

struct FeatureWords {
  std::string label;     // "7-day click-through rate of the ad"
  bool moves_with_time;  // sums, counters, trends and the calendar move as time passes
  std::string why;       // why it moves with time (empty when it does not)
  ValueKind kind = ValueKind::kAmount;
};

// Features the table does not know keep their name, are amounts, and are judged as not
// moving with time.
FeatureWords describe_feature(const std::string& feature);

// A lead's value in words for a reason: "high"/"low"/"typical" against `reference` (the
// training median or mean; NaN = unknown, then ""), "yes"/"no" for a flag, "22h", "Saturday";
// "missing" for NaN.
std::string describe_value(const FeatureWords& words, double value, double reference);

}  // namespace elv::scoring
