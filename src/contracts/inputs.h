// Loading a run's input files, the same way for `validate` and for every pipeline: each
// configured path, read with its csv.* options, into frames sharing one set of dictionaries.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/progress.h"
#include "config/config.h"
#include "contracts/findings.h"
#include "contracts/frame.h"

namespace elv::contracts {

struct InputFiles {
  std::shared_ptr<Dictionaries> dicts = std::make_shared<Dictionaries>();
  std::map<std::string, Frame> frames;  // by FileSpec kind ("ads", "leads", ...)
  // Leads whose outcome cannot be read (a qualified_time that is not a timestamp, or an
  // implausible one): their label stays unknown instead of "never qualified".
  std::vector<int32_t> unreadable_outcome_leads;
  // The run's currency (ISO 4217): business.currency, else what the spend headers name
  // ("Amount spent (EUR)"); empty when neither says. Set by check_inputs.
  std::string currency;
  // How the outcome rows' lead_ids matched leads.csv (docs/CRM_EXPORTS.md, "Matching IDs"):
  // exact after the load's normalisation (trimmed, Meta's "l:" prefix stripped on both
  // sides), else ignoring letter case (a unique match only), else not at all.
  struct OutcomeIdMatch {
    int64_t exact = 0, case_insensitive = 0, unmatched = 0;
    std::string example_outcome, example_lead;  // the first case-insensitive match
  } outcome_id_match;

  const Frame* get(const std::string& kind) const;
  Frame* get(const std::string& kind);
};

struct LoadInputsOptions {
  int threads = 0;               // 0 = all cores
  bool ignore_outcomes = false;  // batch-score: outcomes are never read
  // validate: a file that cannot be loaded becomes an Error finding and loading goes on;
  // otherwise the first such problem throws elv::Error.
  bool collect_errors = false;
  Progress* progress = nullptr;  // a stage per file; may be null
};

// Leads first, so lead codes are dense in the order of leads.csv.
InputFiles load_inputs(const Config& config, const LoadInputsOptions& options, Findings& findings);

}  // namespace elv::contracts
