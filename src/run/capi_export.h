// elv export-capi: a scored run's verdicts as Conversions API events for Meta's "Conversion
// Leads" optimisation (docs/CAPI_EXPORT.md). One JSON object per line, one per lead of the
// run's predictions.csv (or per lead at or above min_p):
//   {"event_name": NAME, "event_time": <Unix seconds>, "action_source": "system_generated",
//    "user_data": {"lead_id": <Meta's numeric lead ID, not hashed>},
//    "custom_data": {"event_source": "crm", "lead_event_source": SOURCE,
//                    "value": <ELV>, "currency": "EUR", "predicted_probability": <p>}}
// elv sends nothing: the file is for the user's own upload. Only the lead ID leaves the run:
// no name, e-mail or phone number is read or written.
#pragma once
#include <cstdint>
#include <string>

namespace elv::run {

struct CapiExportOptions {
  std::string run_dir;
  std::string out_path;  // must not exist: elv never overwrites a file it may not have written
  std::string event_name = "elv_predicted_qualified";  // the CRM stage name Meta sees
  std::string lead_event_source = "elv";               // the tool the stage comes from
  // ISO 4217, three capital letters (EUR, USD); empty = the run's (metadata.json → currency)
  std::string currency;
  double min_p = 0.0;  // leads below this probability are left out
  int64_t now = 0;     // Unix seconds of the export, for the 7-day check (0 = the clock)
};

struct CapiExportSummary {
  int64_t events = 0;               // lines written
  int64_t below_min_p = 0;          // left out by min_p
  int64_t without_meta_id = 0;      // lead IDs that are not Meta lead IDs (15–16 digits)
  std::string example_non_meta_id;  // the first of those, for the message
  int64_t event_time = 0;           // the run's time: when elv gave its verdict
  int64_t age_days = 0;             // how old event_time is at the export
};

// Throws elv::Error naming the file: not an elv run, no predictions.csv, a currency that is
// not three capital letters, min_p outside [0, 1], an output file that exists.
CapiExportSummary export_capi(const CapiExportOptions& options);

// The most days old an event_time may be when Meta receives it (its Conversion Leads payload
// specification); older events are discarded.
inline constexpr int64_t kCapiMaxEventAgeDays = 7;

}  // namespace elv::run
