// `elv validate`: loads every configured input file and reports, without stopping at the
// first problem, everything that would corrupt the lead table (errors) or weaken it
// (warnings), plus per-file facts and join/enrichment coverage.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/config.h"
#include "contracts/findings.h"
#include "contracts/inputs.h"

namespace elv::contracts {

struct FileFacts {
  std::string kind, path;
  int64_t rows = 0;
  double size_mb = 0;
  std::map<std::string, double> null_pct;  // per present column, 0..100
  std::vector<std::string> columns;        // canonical columns kept, in file order
  std::string date_min, date_max;          // dates or timestamps, when the file has them
  std::string format;                      // how it was read: "';'-separated, decimal comma"
};

struct ValidationReport {
  std::vector<Finding> findings;
  std::vector<FileFacts> files;
  // Shares in [0, 1]: "leads_in_ads", "outcomes_in_leads", "ads_placement", "ads_geo",
  // "ad_creatives", "adset_targeting", "leads_in_map".
  std::map<std::string, double> coverage;
  bool usable() const;  // no Error findings
  int64_t count(Severity severity) const;
};

// Never throws for data problems: each becomes a finding. threads: 0 = all cores. The
// inputs, as loaded and checked, are moved into *inputs when given (table/preflight.h builds
// the table from them to report what only the build can see).
ValidationReport validate(const Config& config, int threads = 0, InputFiles* inputs = nullptr);

std::string render_text(const ValidationReport& report);  // errors, warnings, then facts
// {"ok": bool, "errors":[...], "warnings":[...], "files":[...], "coverage":{...}}
nlohmann::json to_json(const ValidationReport& report);

}  // namespace elv::contracts
