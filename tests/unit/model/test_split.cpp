// The time split: mature labeled leads only, in created_time order with ties broken by
// lead_id, floor for train and calib; clear refusals.
#include <gtest/gtest.h>

#include "base/error.h"
#include "model/split.h"

namespace elv::model {
namespace {

using table::LabelStatus;

struct Lead {
  std::string id;
  int64_t created;
  LabelStatus status;
  int8_t mature = 1;
};

table::LeadTable make_table(const std::vector<Lead>& leads) {
  table::LeadTable t;
  t.dicts = std::make_shared<contracts::Dictionaries>();
  auto& dict = t.dicts->for_column("lead_id");
  for (const auto& l : leads) {
    t.lead_id.push_back(dict.intern(l.id));
    t.created_time.push_back(l.created);
    t.label_status.push_back(l.status);
    t.is_mature.push_back(l.mature);
  }
  t.n = static_cast<int64_t>(leads.size());
  return t;
}

// n leads at distinct times, alternating labels.
std::vector<Lead> alternating(int n) {
  std::vector<Lead> leads;
  for (int i = 0; i < n; ++i)
    leads.push_back({"l" + std::to_string(1000 + i), 1000 + i,
                     i % 2 ? LabelStatus::Positive : LabelStatus::Negative});
  return leads;
}

std::string error_of(const table::LeadTable& t, const SplitsConfig& s = {}) {
  try {
    time_split(t, s);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(TimeSplit, FloorForTrainAndCalibRestIsTest) {
  const auto t = make_table(alternating(101));
  const TimeSplit s = time_split(t, SplitsConfig{0.6, 0.2, 0.2});
  EXPECT_EQ(s.train.size(), 60u);  // floor(60.6)
  EXPECT_EQ(s.calib.size(), 20u);  // floor(20.2)
  EXPECT_EQ(s.test.size(), 21u);
  EXPECT_EQ(s.train_end_time, 1059);
  EXPECT_EQ(s.calib_end_time, 1079);
  EXPECT_EQ(s.n_labeled(), 101);
}

TEST(TimeSplit, CapKeepsTheMostRecentLabeledLeads) {
  const auto t = make_table(alternating(200));
  const TimeSplit s = time_split(t, SplitsConfig{0.6, 0.2, 0.2}, 100);
  EXPECT_EQ(s.n_labeled(), 100);
  EXPECT_EQ(s.n_labeled_before_cap, 200);
  // The 100 newest leads are 1100..1199: train starts there and the test split ends at the
  // newest lead.
  EXPECT_EQ(t.created_time[s.train.front()], 1100);
  EXPECT_EQ(t.created_time[s.test.back()], 1199);
  EXPECT_EQ(s.train.size(), 60u);
  EXPECT_EQ(s.train_end_time, 1159);
}

TEST(TimeSplit, CapAboveTheLabeledCountChangesNothing) {
  const auto t = make_table(alternating(101));
  const TimeSplit s = time_split(t, SplitsConfig{0.6, 0.2, 0.2}, 1000);
  EXPECT_EQ(s.n_labeled(), 101);
  EXPECT_EQ(s.n_labeled_before_cap, 101);
}

TEST(TimeSplit, CapBelowTheMinimumIsRefused) {
  const auto t = make_table(alternating(200));
  EXPECT_THROW(time_split(t, SplitsConfig{0.6, 0.2, 0.2}, 10), Error);
}

TEST(TimeSplit, OrdersByTimeThenLeadIdAcrossTies) {
  // 100 leads; the ones at the train/calib boundary share one timestamp and are given in
  // reverse id order: the split must follow lead_id, not file order.
  auto leads = alternating(100);
  for (int i = 55; i < 65; ++i) leads[i].created = 5000;
  for (int i = 65; i < 100; ++i) leads[i].created = 6000 + i;
  std::reverse(leads.begin() + 55, leads.begin() + 65);
  const auto t = make_table(leads);
  const TimeSplit s = time_split(t, SplitsConfig{0.6, 0.2, 0.2});
  const auto& dict = t.dicts->for_column("lead_id");
  // Train ends at the 60th lead in (time, id) order: l1059, the 5th of the tied ids.
  EXPECT_EQ(dict.str(t.lead_id[s.train.back()]), "l1059");
  EXPECT_EQ(dict.str(t.lead_id[s.calib.front()]), "l1060");
  EXPECT_EQ(s.train_end_time, 5000);
  for (size_t i = 1; i < s.train.size(); ++i)
    EXPECT_LE(t.created_time[s.train[i - 1]], t.created_time[s.train[i]]);
}

TEST(TimeSplit, UsesMatureLabeledLeadsOnly) {
  auto leads = alternating(100);
  leads.push_back({"recent_positive", 9999, LabelStatus::Positive, 0});
  leads.push_back({"unknown", 9998, LabelStatus::Unknown, 1});
  const auto t = make_table(leads);
  const TimeSplit s = time_split(t, SplitsConfig{0.6, 0.2, 0.2});
  EXPECT_EQ(s.n_labeled(), 100);
}

TEST(TimeSplit, RefusesFewerThan50LabeledRows) {
  const std::string msg = error_of(make_table(alternating(49)));
  EXPECT_NE(msg.find("only 49 leads have a known result"), std::string::npos) << msg;
  EXPECT_NE(msg.find("at least 50"), std::string::npos) << msg;
  EXPECT_EQ(error_of(make_table(alternating(50))), "");
}

TEST(TimeSplit, RefusesAOneClassTrainSplit) {
  auto leads = alternating(100);
  for (int i = 0; i < 60; ++i) leads[i].status = LabelStatus::Negative;
  const std::string msg = error_of(make_table(leads));
  EXPECT_NE(msg.find("train split"), std::string::npos) << msg;
  EXPECT_NE(msg.find("only unqualified"), std::string::npos) << msg;
}

TEST(TimeSplit, RefusesAOneClassTestSplit) {
  auto leads = alternating(100);
  for (int i = 80; i < 100; ++i) leads[i].status = LabelStatus::Positive;
  const std::string msg = error_of(make_table(leads));
  EXPECT_NE(msg.find("test split"), std::string::npos) << msg;
  EXPECT_NE(msg.find("only qualified"), std::string::npos) << msg;
}

TEST(TimeSplit, LabelsOfRows) {
  const auto t = make_table(alternating(4));
  EXPECT_EQ(labels_of(t, {0, 1, 3}), (std::vector<double>{0, 1, 1}));
}

}  // namespace
}  // namespace elv::model
