// The one rule for rows with a defect (contracts/row_policy.h): a few are left out with a
// warning that says so, more refuse the file, in the same words for validate and the pipelines.
#include <gtest/gtest.h>

#include "contracts/row_policy.h"

namespace elv::contracts {
namespace {

TEST(RowPolicy, ToleratesOnePercentAtLeastOneAtMostAThousand) {
  EXPECT_EQ(tolerated_bad_rows(3), 1);      // one typo in a small file
  EXPECT_EQ(tolerated_bad_rows(199), 1);    // 1 % of 199 rounds down to 1
  EXPECT_EQ(tolerated_bad_rows(6000), 60);  // the demo's leads.csv
  EXPECT_EQ(tolerated_bad_rows(100000), 1000);
  EXPECT_EQ(tolerated_bad_rows(5000000), 1000);  // capped: beyond that the export is broken
}

TEST(RowPolicy, SeverityFollowsTheTolerance) {
  EXPECT_EQ(row_defect_severity(1, 6000), Severity::Warning);
  EXPECT_EQ(row_defect_severity(60, 6000), Severity::Warning);
  EXPECT_EQ(row_defect_severity(61, 6000), Severity::Error);
  EXPECT_EQ(row_defect_severity(1, 3), Severity::Warning);
  EXPECT_EQ(row_defect_severity(2, 3), Severity::Error);
  EXPECT_EQ(row_defect_severity(1, 1), Severity::Error);  // never every row of a file
  EXPECT_EQ(row_defect_severity(1001, 5000000), Severity::Error);
}

const RowDefect kBadCreated{"created_time", "an unreadable created_time", "will be left out",
                            "expected an ISO-8601 timestamp such as 2026-03-02T14:05:00Z"};

TEST(RowPolicy, AWarningSaysWhatWillHappenAndWhere) {
  Findings findings;
  RowHits hits;
  hits.hit(6);
  EXPECT_TRUE(add_row_defect(findings, "/data/leads.csv", "leads", 6000, hits, kBadCreated));
  ASSERT_EQ(findings.items.size(), 1u);
  const Finding& f = findings.items[0];
  EXPECT_EQ(f.severity, Severity::Warning);
  EXPECT_EQ(f.line, 6);
  EXPECT_EQ(f.column, "created_time");
  EXPECT_EQ(f.message,
            "1 lead with an unreadable created_time will be left out (leads.csv line 6, column "
            "created_time); expected an ISO-8601 timestamp such as 2026-03-02T14:05:00Z");
}

TEST(RowPolicy, AnErrorAboveTheToleranceSaysWhyAndWhatToDo) {
  Findings findings;
  RowHits hits;
  for (int64_t line = 2; line < 102; ++line) hits.hit(line);
  EXPECT_FALSE(add_row_defect(findings, "leads.csv", "leads", 6000, hits, kBadCreated));
  ASSERT_EQ(findings.items.size(), 1u);
  const Finding& f = findings.items[0];
  EXPECT_EQ(f.severity, Severity::Error);
  EXPECT_EQ(f.line, 2);
  EXPECT_EQ(f.message,
            "100 leads with an unreadable created_time (leads.csv lines 2, 3, 4, 5, 6, …, column "
            "created_time): too many to leave out (elv leaves out at most 1 % of a file's rows, "
            "at least 1 and at most 1000: here 60 of 6000), so the file is refused; expected an "
            "ISO-8601 timestamp such as 2026-03-02T14:05:00Z");
}

TEST(RowPolicy, RowsOfOtherFilesAreRows) {
  Findings findings;
  RowHits hits;
  hits.hit(3);
  hits.hit(9);
  add_row_defect(findings, "ads.csv", "ads", 1000, hits,
                 {"spend", "an unreadable number in spend", "will be left out", ""});
  ASSERT_EQ(findings.items.size(), 1u);
  EXPECT_EQ(findings.items[0].message,
            "2 rows with an unreadable number in spend will be left out (ads.csv lines 3, 9, "
            "column spend)");
}

TEST(RowPolicy, NoHitsNoFinding) {
  Findings findings;
  EXPECT_TRUE(add_row_defect(findings, "ads.csv", "ads", 10, RowHits{}, kBadCreated));
  EXPECT_TRUE(findings.items.empty());
}

}  // namespace
}  // namespace elv::contracts
