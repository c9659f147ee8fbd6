// The rules every command applies to its loaded inputs, in one place: `elv validate` reports
// them, build-table / train / score stop at an error and record the warnings, in the same
// words, so the web page's Validate and Run never disagree. Rules that set rows aside (a
// totals row, a mistyped year) change the frames in place, and say so in a warning.
// The policy of each rule is listed in docs/LIMITS.md, "What happens on bad input".
#pragma once
#include "config/config.h"
#include "contracts/findings.h"
#include "contracts/inputs.h"

namespace elv::contracts {

void check_inputs(const Config& config, InputFiles& inputs, Findings& findings);

// Days far outside the bulk of a column (a mistyped year: 2062 for 2026, 9999-12-31 for
// "never"): the values of at most the lowest and highest 5 % that are separated from the rest
// by a gap longer than 90 days and longer than the rest's own span. Returns, per value,
// whether it is such an outlier; nulls (kNullDate) never are. Exposed for tests.
std::vector<uint8_t> implausible_days(const std::vector<int32_t>& days);

}  // namespace elv::contracts
