// The one rule for rows that break the contract one at a time (an unreadable date or number,
// a mistyped year): a few such rows are left out (or their value set aside), with a warning
// that says what will happen to them; more than that means the column or the export is
// wrong, and it is an error that stops every command. validate and every pipeline apply it
// through contracts/checks.h, so the web page's Validate and Run give the same verdict in the
// same words (docs/LIMITS.md, "Rows left out: the 1 % rule").
#pragma once
#include <cstdint>
#include <string>

#include "contracts/findings.h"

namespace elv::contracts {

// A file's rows that may be left out: 1 % of its data rows, at least 1 (one typo in a small
// file is still a typo), at most 1,000 (beyond that the export itself is broken).
inline constexpr int64_t kLeftOutPercent = 1;
inline constexpr int64_t kMinLeftOutRows = 1;
inline constexpr int64_t kMaxLeftOutRows = 1000;

int64_t tolerated_bad_rows(int64_t file_rows);
// Warning when bad_rows ≤ tolerated_bad_rows(file_rows) and some rows remain, else Error.
Severity row_defect_severity(int64_t bad_rows, int64_t file_rows);

// One kind of defect in one column, in words.
struct RowDefect {
  std::string column;   // canonical column ("created_time")
  std::string what;     // "an unreadable created_time"
  std::string outcome;  // "will be left out"
  std::string fix;      // "expected an ISO-8601 timestamp such as 2026-03-02T14:05:00Z"
};

// Adds the finding for `hits` rows of a file (`kind` "leads", "ads", …; `file_rows` its data
// rows as read) with the defect: a warning saying what will happen to them, or, above the
// tolerance, an error saying what to do. Returns true when the rows may be set aside (a
// warning), false when the file is refused.
//   warning: "1 lead with an unreadable created_time will be left out (leads.csv line 6,
//             column created_time; expected …)"
//   error:   "40 leads with an unreadable created_time (leads.csv lines 2, 3, …, column
//             created_time): too many to leave out (…); expected …"
bool add_row_defect(Findings& findings, const std::string& path, const std::string& kind,
                    int64_t file_rows, const RowHits& hits, const RowDefect& defect);

// "elv leaves out at most 1 % of a file's rows, at least 1 and at most 1000: here 12 of 1200"
std::string tolerance_text(int64_t file_rows);

}  // namespace elv::contracts
