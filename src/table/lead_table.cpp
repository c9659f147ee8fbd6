#include "table/lead_table.h"

namespace elv::table {

const char* label_status_name(LabelStatus s) {
  switch (s) {
    case LabelStatus::Positive:
      return "positive";
    case LabelStatus::Negative:
      return "negative";
    default:
      return "unknown";
  }
}

const std::string& LeadTable::str(const char* dictionary, int32_t code) const {
  static const std::string kEmpty;
  if (code == contracts::kNullCode) return kEmpty;
  return dicts->for_column(dictionary).str(code);
}

int LeadTable::feature_index(const std::string& name) const {
  for (size_t i = 0; i < feature_names.size(); ++i)
    if (feature_names[i] == name) return static_cast<int>(i);
  return -1;
}

void LeadTable::narrow_features() {
  for (auto& column : features) column.narrow();
}

}  // namespace elv::table
