// `elv validate`: loads every configured input file and reports, without stopping at the
// first problem, everything that would corrupt the lead table (errors) or weaken it
// (warnings), plus per-file facts and join/enrichment coverage.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"

namespace elv::contracts {

enum class Severity { Error, Warning };

struct Finding {
  Severity severity;
  std::string file;    // the file's path (the config file for configuration problems)
  std::string column;  // canonical column, "date+ad_id" for a key, or a config key path
  int64_t line = -1;   // first offending physical line (header = 1); -1 if none
  std::string message;
};

struct FileFacts {
  std::string kind, path;
  int64_t rows = 0;
  double size_mb = 0;
  std::map<std::string, double> null_pct;  // per present column, 0..100
  std::vector<std::string> columns;        // canonical columns kept, in file order
  std::string date_min, date_max;          // dates or timestamps, when the file has them
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

// Never throws for data problems: each becomes a finding. threads: 0 = all cores.
ValidationReport validate(const Config& config, int threads = 0);

std::string render_text(const ValidationReport& report);  // errors, warnings, then facts
// {"ok": bool, "errors":[...], "warnings":[...], "files":[...], "coverage":{...}}
nlohmann::json to_json(const ValidationReport& report);

}  // namespace elv::contracts
