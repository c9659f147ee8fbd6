// Writes the lead table as table.csv.gz in the column order of SPEC §4.6.
#pragma once
#include <string>

#include "table/lead_table.h"

namespace elv::table {

void write_table_csv(const LeadTable& table, const std::string& path, bool gzip = true);

}  // namespace elv::table
