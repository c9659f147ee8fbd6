// The data profile (data_profile.json / .md) and the build part of metadata.json.
#pragma once
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "table/build.h"

namespace elv::table {

// join, labeling, windows, enrichments and warnings: the facts a run's metadata carries.
nlohmann::json build_facts_json(const BuildInfo& info);

// Inputs (rows, columns, parse issues, date ranges), the same facts as build_facts_json,
// and per-feature null share / min / mean / max over the table.
nlohmann::json profile_json(const BuildResult& result);

// A readable summary of profile_json for data_profile.md.
std::string profile_markdown(const nlohmann::json& profile);

}  // namespace elv::table
