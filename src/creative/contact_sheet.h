// creative_clusters.png: one row of thumbnails per cluster, each row headed by its label
// (for example "Cluster 3 · 14 creatives · ELV per spend 2.41"), for people to look at.
#pragma once
#include <string>
#include <vector>

namespace elv::creative {

struct ContactSheetRow {
  std::string label;
  std::vector<const std::string*> thumbnails_jpeg;  // shown left to right, at most max_per_row
};

// PNG bytes. Rows in the order given; each thumbnail scaled to fit a square cell.
std::string contact_sheet_png(const std::vector<ContactSheetRow>& rows, int cell_size = 120,
                              int max_per_row = 12);

}  // namespace elv::creative
