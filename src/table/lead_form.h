// Features from Meta's lead download (docs/LEAD_FORMS.md): whether the lead was organic, the
// platform and form it came from, and the form answers the config lists in lead_fields.
//
// Categories become one-hot columns over a vocabulary: the most frequent answers, each given
// by at least kMinAnswerCount leads, up to lead_fields.max_categories, then "<column>=other"
// for any other answer; an empty answer is all zeros. The vocabulary is fitted on the
// training table (answers only, never labels) and stored in model.json, so a scoring run
// encodes new leads exactly as training did.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "contracts/frame.h"
#include "table/lead_table.h"

namespace elv::table {

inline constexpr int64_t kMinAnswerCount = 5;

struct CategoricalEncoding {
  std::string column;  // the leads frame's column: "platform", "form_id", "lf_<question>"
  std::string header;  // lead_fields' spelling for a question, else the column
  std::vector<std::string> values;  // one-hot columns "<column>=<value>", then "<column>=other"
  bool operator==(const CategoricalEncoding&) const = default;
};

struct NumericField {
  std::string column;  // "lf_<question>", also the feature's name
  std::string header;  // lead_fields' spelling
  bool operator==(const NumericField&) const = default;
};

struct LeadFormEncoding {
  bool is_organic = false;  // the is_organic feature (1 = organic, 0 = from an ad)
  std::vector<CategoricalEncoding> categorical;
  std::vector<NumericField> numeric;

  bool empty() const { return !is_organic && categorical.empty() && numeric.empty(); }
  // The features it adds, in table order.
  std::vector<std::string> feature_names() const;
  // The lead_fields section that loads the columns it needs (for scoring with a bundle).
  LeadFieldsConfig lead_fields(int max_categories) const;
  bool operator==(const LeadFormEncoding&) const = default;
};

// The encoding of the leads kept (rows of the leads frame): is_organic, platform and form_id
// when the file has them, then the lead_fields columns in config order.
LeadFormEncoding fit_lead_form(const contracts::Frame& leads, const std::vector<int64_t>& rows,
                               const contracts::Dictionaries& dicts,
                               const LeadFieldsConfig& fields);

// Appends the encoding's features to the table (rows of the leads frame, in table order). A
// column the file lacks leaves its features out; scoring then names what the model misses.
void add_lead_form_features(const contracts::Frame& leads, const std::vector<int64_t>& rows,
                            const contracts::Dictionaries& dicts, const LeadFormEncoding& encoding,
                            LeadTable& table);

}  // namespace elv::table
