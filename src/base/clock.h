// The one "now" of elv's outputs: the time a run records (metadata.json, model.json, the run
// id) and the default end date of the demo data.
#pragma once
#include <cstdint>

namespace elv {

// The latest time SOURCE_DATE_EPOCH may hold: 9999-12-31T23:59:59Z, the last second a
// four-digit timestamp can show.
constexpr int64_t kMaxSourceDateEpoch = 253402300799;

// Seconds since 1970-01-01T00:00:00Z. When the environment variable SOURCE_DATE_EPOCH is set
// (the reproducible-builds convention), its value, so two runs of the same inputs write the
// same bytes; otherwise the system clock. Throws elv::Error naming the variable when it is
// set but is not a whole number of seconds from 0 to kMaxSourceDateEpoch.
int64_t now_seconds();

}  // namespace elv
