// `elv validate` as the pipelines see the data: the input checks (contracts/validate.h), and,
// when they find no error, the build itself without writing anything, so warnings that only
// the join, the labels or the features can raise (names joined by name, outcomes after
// as_of_date, a feature family empty for every lead) are in the report too. Validate and a
// run then never disagree.
#pragma once
#include "config/config.h"
#include "contracts/validate.h"

namespace elv::table {

contracts::ValidationReport validate_inputs(const Config& config, int threads = 0);

}  // namespace elv::table
