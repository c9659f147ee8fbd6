// Writes the lead table as table.csv.gz in the column order of docs/CONTRACT.md §4.6.
#pragma once
#include <functional>
#include <string>

#include "table/lead_table.h"

namespace elv::table {

// threads <= 0: all cores. Rows are formatted and compressed in blocks on every thread
// (this was the slowest stage of build-table); the file is the same for any thread count.
// on_progress (optional) is told the share of the table written.
void write_table_csv(const LeadTable& table, const std::string& path, int threads = 0,
                     const std::function<void(double)>& on_progress = {});

}  // namespace elv::table
