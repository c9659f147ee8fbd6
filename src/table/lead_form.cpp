#include "table/lead_form.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "base/format.h"
#include "contracts/schema.h"
#include "io/parse.h"

namespace elv::table {

using contracts::Dictionaries;
using contracts::Frame;
using contracts::kNullCode;

namespace {

// The columns of Meta's download that are categories whenever the file has them.
constexpr const char* kBuiltInCategorical[] = {"platform", "form_id"};

std::string one_hot_name(const std::string& column, const std::string& value) {
  return column + "=" + value;
}

// The most frequent answers of a column among the kept leads (ties by the answer's text),
// each given at least kMinAnswerCount times, at most `max_values`.
std::vector<std::string> vocabulary(const Frame& leads, const std::string& column,
                                    const std::vector<int64_t>& rows, const Dictionaries& dicts,
                                    int max_values) {
  const auto& codes = leads.codes.at(column);
  const contracts::Dictionary& dict = dicts.for_column(column);
  std::vector<int64_t> counts(dict.size(), 0);
  for (int64_t r : rows)
    if (codes[r] != kNullCode) ++counts[static_cast<size_t>(codes[r])];
  std::vector<int32_t> order;
  for (size_t c = 0; c < counts.size(); ++c)
    if (counts[c] >= kMinAnswerCount) order.push_back(static_cast<int32_t>(c));
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    if (counts[a] != counts[b]) return counts[a] > counts[b];
    return dict.str(a) < dict.str(b);
  });
  if (order.size() > static_cast<size_t>(max_values)) order.resize(static_cast<size_t>(max_values));
  std::vector<std::string> values;
  for (int32_t c : order) values.push_back(dict.str(c));
  return values;
}

}  // namespace

std::vector<std::string> LeadFormEncoding::feature_names() const {
  std::vector<std::string> names;
  if (is_organic) names.push_back("is_organic");
  for (const auto& c : categorical) {
    for (const auto& v : c.values) names.push_back(one_hot_name(c.column, v));
    names.push_back(one_hot_name(c.column, "other"));
  }
  for (const auto& n : numeric) names.push_back(n.column);
  return names;
}

LeadFieldsConfig LeadFormEncoding::lead_fields(int max_categories) const {
  LeadFieldsConfig f;
  f.max_categories = max_categories;
  for (const auto& c : categorical)
    if (c.column.rfind("lf_", 0) == 0) f.categorical.push_back(c.header);
  for (const auto& n : numeric) f.numeric.push_back(n.header);
  return f;
}

LeadFormEncoding fit_lead_form(const Frame& leads, const std::vector<int64_t>& rows,
                               const Dictionaries& dicts, const LeadFieldsConfig& fields) {
  LeadFormEncoding e;
  e.is_organic = leads.has("is_organic");
  for (const char* column : kBuiltInCategorical)
    if (leads.has(column))
      e.categorical.push_back(
          {column, column, vocabulary(leads, column, rows, dicts, fields.max_categories)});
  for (const auto& header : fields.categorical) {
    const std::string column = contracts::lead_field_column(header);
    if (leads.has(column))
      e.categorical.push_back(
          {column, header, vocabulary(leads, column, rows, dicts, fields.max_categories)});
  }
  for (const auto& header : fields.numeric) {
    const std::string column = contracts::lead_field_column(header);
    if (leads.has(column)) e.numeric.push_back({column, header});
  }
  return e;
}

void add_lead_form_features(const Frame& leads, const std::vector<int64_t>& rows,
                            const Dictionaries& dicts, const LeadFormEncoding& encoding,
                            LeadTable& table) {
  const size_t n = rows.size();
  auto add_column = [&](const std::string& name) -> std::vector<double>& {
    table.feature_names.push_back(name);
    table.features.emplace_back(n, 0.0);
    return table.features.back().values();
  };
  if (encoding.is_organic && leads.has("is_organic")) {
    std::vector<double>& out = add_column("is_organic");
    const auto& codes = leads.codes.at("is_organic");
    const contracts::Dictionary& dict = dicts.for_column("is_organic");
    for (size_t i = 0; i < n; ++i) {
      const int32_t code = codes[rows[i]];
      const int8_t flag = code == kNullCode ? -1 : parse::flag(dict.str(code));
      out[i] = flag < 0 ? std::nan("") : flag;
    }
  }
  for (const auto& c : encoding.categorical) {
    if (!leads.has(c.column)) continue;
    const auto& codes = leads.codes.at(c.column);
    const contracts::Dictionary& dict = dicts.for_column(c.column);
    // Dictionary code -> position in the vocabulary; -1 = other; the dictionary may hold
    // answers of other files, so it is sized to the dictionary, not the vocabulary.
    std::vector<int32_t> slot(dict.size(), -1);
    for (size_t v = 0; v < c.values.size(); ++v)
      if (const int32_t code = dict.find(c.values[v]); code != kNullCode)
        slot[static_cast<size_t>(code)] = static_cast<int32_t>(v);
    const size_t first = table.features.size();
    for (const auto& v : c.values) add_column(one_hot_name(c.column, v));
    add_column(one_hot_name(c.column, "other"));
    const size_t other = table.features.size() - 1;
    for (size_t i = 0; i < n; ++i) {
      const int32_t code = codes[rows[i]];
      if (code == kNullCode) continue;  // no answer: all zeros
      const int32_t s = slot[static_cast<size_t>(code)];
      table.features[s < 0 ? other : first + static_cast<size_t>(s)].values()[i] = 1.0;
    }
    table.narrow_features();  // this question's one-hots, before the next question's
  }
  for (const auto& f : encoding.numeric) {
    if (!leads.has(f.column)) continue;
    const auto& values = leads.numbers.at(f.column);
    std::vector<double>& out = add_column(f.column);
    for (size_t i = 0; i < n; ++i) out[i] = values[rows[i]];
  }
}

}  // namespace elv::table
