// The lead download's encoding (docs/LEAD_FORMS.md): vocabulary by frequency with a minimum
// count and a bound, "other" for the rest, all zeros for no answer, is_organic parsed as
// Meta writes it, numbers copied; and an encoding fitted once reproduces itself on new leads.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "contracts/frame.h"
#include "io/parse.h"
#include "table/lead_form.h"

namespace elv::table {
namespace {

using contracts::Dictionaries;
using contracts::Frame;
using contracts::kNullCode;

// A leads frame with the given text columns (empty string = empty cell) and numbers.
Frame frame_of(Dictionaries& dicts,
               const std::vector<std::pair<std::string, std::vector<std::string>>>& texts,
               const std::vector<std::pair<std::string, std::vector<double>>>& numbers) {
  Frame f;
  f.kind = "leads";
  for (const auto& [column, cells] : texts) {
    f.present_columns.push_back(column);
    f.n_rows = static_cast<int64_t>(cells.size());
    auto& codes = f.codes[column];
    for (const auto& cell : cells)
      codes.push_back(cell.empty() ? kNullCode : dicts.for_column(column).intern(cell));
  }
  for (const auto& [column, values] : numbers) {
    f.present_columns.push_back(column);
    f.numbers[column] = values;
  }
  return f;
}

std::vector<int64_t> all_rows(const Frame& f) {
  std::vector<int64_t> rows(static_cast<size_t>(f.n_rows));
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<int64_t>(i);
  return rows;
}

std::vector<double> column(const LeadTable& t, const std::string& name) {
  const int j = t.feature_index(name);
  EXPECT_GE(j, 0) << name;
  return t.features[static_cast<size_t>(j)].to_vector();
}

TEST(LeadForm, OrganicFlagAsMetaWritesIt) {
  EXPECT_EQ(parse::flag("1"), 1);
  EXPECT_EQ(parse::flag(" TRUE "), 1);
  EXPECT_EQ(parse::flag("0"), 0);
  EXPECT_EQ(parse::flag("no"), 0);
  EXPECT_EQ(parse::flag("maybe"), -1);
}

TEST(LeadForm, VocabularyByFrequencyWithMinimumAndBound) {
  Dictionaries dicts;
  std::vector<std::string> budget;
  for (int i = 0; i < 9; ++i) budget.push_back("high");
  for (int i = 0; i < 6; ++i) budget.push_back("low");
  for (int i = 0; i < 6; ++i) budget.push_back("mid");   // ties with low: by text
  for (int i = 0; i < 4; ++i) budget.push_back("rare");  // below the minimum count
  budget.push_back("");
  const Frame f = frame_of(dicts, {{"lf_budget", budget}}, {});
  LeadFieldsConfig fields;
  fields.categorical = {"Budget"};
  fields.max_categories = 2;
  const LeadFormEncoding e = fit_lead_form(f, all_rows(f), dicts, fields);
  ASSERT_EQ(e.categorical.size(), 1u);
  EXPECT_EQ(e.categorical[0].header, "Budget");
  EXPECT_EQ(e.categorical[0].values, (std::vector<std::string>{"high", "low"}));
  EXPECT_FALSE(e.is_organic);
  EXPECT_EQ(e.feature_names(),
            (std::vector<std::string>{"lf_budget=high", "lf_budget=low", "lf_budget=other"}));

  LeadTable t;
  t.n = f.n_rows;
  add_lead_form_features(f, all_rows(f), dicts, e, t);
  const auto& high = column(t, "lf_budget=high");
  const auto& other = column(t, "lf_budget=other");
  EXPECT_EQ(high[0], 1.0);
  EXPECT_EQ(other[0], 0.0);
  EXPECT_EQ(other[15], 1.0);  // "mid", beyond the bound
  EXPECT_EQ(other[21], 1.0);  // "rare", below the minimum
  EXPECT_EQ(high[25] + other[25] + column(t, "lf_budget=low")[25], 0.0);  // no answer
}

TEST(LeadForm, BuiltInColumnsAndNumbers) {
  Dictionaries dicts;
  std::vector<std::string> organic, platform;
  for (int i = 0; i < 10; ++i) {
    organic.push_back(i == 3 ? "1" : i == 4 ? "" : "0");
    platform.push_back(i < 5 ? "fb" : "ig");
  }
  std::vector<double> employees(10, 7.0);
  employees[2] = std::nan("");
  const Frame f = frame_of(dicts, {{"is_organic", organic}, {"platform", platform}},
                           {{"lf_employees", employees}});
  LeadFieldsConfig fields;
  fields.numeric = {"employees"};
  const LeadFormEncoding e = fit_lead_form(f, all_rows(f), dicts, fields);
  EXPECT_EQ(e.feature_names(), (std::vector<std::string>{"is_organic", "platform=fb", "platform=ig",
                                                         "platform=other", "lf_employees"}));
  LeadTable t;
  t.n = f.n_rows;
  add_lead_form_features(f, all_rows(f), dicts, e, t);
  EXPECT_EQ(column(t, "is_organic")[3], 1.0);
  EXPECT_EQ(column(t, "is_organic")[0], 0.0);
  EXPECT_TRUE(std::isnan(column(t, "is_organic")[4]));
  EXPECT_EQ(column(t, "platform=ig")[7], 1.0);
  EXPECT_EQ(column(t, "lf_employees")[0], 7.0);
  EXPECT_TRUE(std::isnan(column(t, "lf_employees")[2]));
  // The lead_fields a scoring run loads: the questions only, not the built-in columns.
  EXPECT_EQ(e.lead_fields(20).numeric, std::vector<std::string>{"employees"});
  EXPECT_TRUE(e.lead_fields(20).categorical.empty());
}

TEST(LeadForm, AStoredEncodingAppliesToNewLeads) {
  Dictionaries dicts;
  std::vector<std::string> train(6, "fb");
  const Frame first = frame_of(dicts, {{"platform", train}}, {});
  const LeadFormEncoding e = fit_lead_form(first, all_rows(first), dicts, {});
  // New leads with an answer training never saw: "other", same columns as training.
  const Frame later = frame_of(dicts, {{"platform", {"ig", "fb"}}}, {});
  LeadTable t;
  t.n = later.n_rows;
  add_lead_form_features(later, all_rows(later), dicts, e, t);
  EXPECT_EQ(t.feature_names, (std::vector<std::string>{"platform=fb", "platform=other"}));
  EXPECT_EQ(column(t, "platform=other"), (std::vector<double>{1.0, 0.0}));
  EXPECT_EQ(column(t, "platform=fb"), (std::vector<double>{0.0, 1.0}));
}

}  // namespace
}  // namespace elv::table
