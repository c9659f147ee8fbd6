#include "scoring/metric_definitions.h"

#include <array>

namespace elv::scoring {

namespace {

// ELV = expected lead value. The wording avoids model jargon: "the model expects" rather
// than "calibrated probability"; docs/CALIBRATION_AND_ELV.md has the maths.
constexpr std::array kDefinitions = {
    MetricDefinition{"spend", "Spend", "Ad spend from ads.csv over the dates of the scored leads."},
    MetricDefinition{"lead_count", "Leads",
                     "Paid leads in the scored period (organic leads are not counted against "
                     "spend)."},
    MetricDefinition{"expected_qualified", "Expected qualified leads",
                     "How many of these leads the model expects to qualify: the sum of their "
                     "chances to qualify (leads × average chance)."},
    MetricDefinition{"elv_per_spend", "Value per spend",
                     "Predicted value divided by spend: above 1, the leads are expected to be "
                     "worth more than they cost. The leaderboard is ranked by it."},
    MetricDefinition{"cost_per_expected_qualified", "Cost per expected qualified lead",
                     "Spend divided by expected qualified leads: what one qualified lead costs, "
                     "as the model expects."},
    MetricDefinition{"predicted_elv", "Predicted value",
                     "Expected lead value (ELV): expected qualified leads × what a qualified "
                     "lead is worth (value_per_qualified)."},
    MetricDefinition{"avg_elv", "Value per lead",
                     "Predicted value divided by leads: what an average lead is expected to be "
                     "worth."},
    MetricDefinition{"avg_p_qualified", "Average chance to qualify",
                     "The average predicted probability that a lead qualifies within the label "
                     "window (the N of avg_p_qualified_Nd, in days)."},
    MetricDefinition{"cpl", "Cost per lead", "Spend divided by leads."},
    MetricDefinition{"expected_profit", "Expected profit",
                     "Predicted value minus spend; meaningful only once the value of a "
                     "qualified lead is set."},
    MetricDefinition{"roi", "ROI",
                     "Expected profit divided by spend (0.25 = 25 %); meaningful only once the "
                     "value of a qualified lead is set."},
    MetricDefinition{"expected_profit_per_lead", "Expected profit per lead",
                     "Expected profit divided by leads."},
    MetricDefinition{"positive_rate_labeled", "Observed qualified rate",
                     "Among leads old enough for their outcome to be known, the share that "
                     "did qualify: a check on the model's expectation; empty when none are."},
    MetricDefinition{"labeled_count", "Leads with a known outcome",
                     "Leads older than the label window whose outcome is known: the base of "
                     "the observed qualified rate."},
    MetricDefinition{"low_volume", "Low volume",
                     "Fewer leads than min_segment_leads (30 by default): the figures are "
                     "noisy, so the row is listed last and never called best."},
};

constexpr std::string_view kAvgPPrefix = "avg_p_qualified_";

}  // namespace

std::span<const MetricDefinition> metric_definitions() { return kDefinitions; }

const MetricDefinition* metric_definition(std::string_view column) {
  // avg_p_qualified_14d and its kin: the label window is part of the CSV column's name.
  if (column.starts_with(kAvgPPrefix) && column.size() > kAvgPPrefix.size() && column.back() == 'd')
    column = "avg_p_qualified";
  for (const MetricDefinition& d : kDefinitions)
    if (d.column == column) return &d;
  return nullptr;
}

}  // namespace elv::scoring
