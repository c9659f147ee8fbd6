// A loaded input file as typed columns. IDs and texts are dictionary-encoded once, at
// load, into dictionaries shared by all files of a run, so joins are on integer codes.
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "contracts/findings.h"

namespace elv::contracts {

inline constexpr int32_t kNullCode = -1;
inline constexpr int32_t kNullDate = std::numeric_limits<int32_t>::min();
inline constexpr int64_t kNullTime = std::numeric_limits<int64_t>::min();

// String <-> dense integer code. IDs are interned once per row of every big file, so this
// is a measured hot path: open addressing with linear probing over int32 slots, each code's
// hash cached, no allocation per probe (std::unordered_map was ~15 % of build-table).
class Dictionary {
 public:
  int32_t intern(std::string_view s);
  int32_t find(std::string_view s) const;  // kNullCode when absent
  const std::string& str(int32_t code) const { return strings_[static_cast<size_t>(code)]; }
  size_t size() const { return strings_.size(); }
  void reserve(size_t n);

 private:
  static uint64_t hash(std::string_view s);
  size_t probe(std::string_view s, uint64_t h) const;  // slot holding s, or the empty slot
  void grow();
  std::vector<std::string> strings_;
  std::vector<uint64_t> hashes_;  // per code
  std::vector<int32_t> slots_;    // code or kNullCode; size is a power of two
};

// One dictionary per entity kind: lead, ad, adset, campaign; one per text column
// (campaign_name, …) so the same name in ads.csv and leads.csv has the same code.
class Dictionaries {
 public:
  Dictionary& for_column(const std::string& column);
  const Dictionary& for_column(const std::string& column) const;

 private:
  std::map<std::string, std::unique_ptr<Dictionary>> by_key_;
};

// Per-column problems, counted; first offending line numbers kept for messages.
struct ColumnIssues {
  int64_t nulls = 0;           // empty cells
  int64_t invalid = 0;         // present but unparseable (number, date, timestamp)
  int64_t scientific = 0;      // IDs written in scientific notation (digits lost)
  int64_t without_offset = 0;  // timestamps without a zone designator (read in csv.timezone or UTC)
  std::vector<int64_t> first_invalid_lines;     // up to kMaxExampleLines
  std::vector<int64_t> first_scientific_lines;  // up to kMaxExampleLines
  std::vector<int64_t> invalid_lines;           // every unparseable cell's line, ascending
  std::string first_invalid_text;               // the first unparseable cell (numbers only)
  // Cells that look like an e-mail address or a phone number, in a column screened for
  // contact data (ColumnSpec::screen_contact); never their text.
  int64_t contact_like = 0;
  int64_t meta_prefixed = 0;  // IDs written with Meta's prefix ("l:123"), stripped on load
  std::vector<int64_t> first_contact_like_lines;  // up to kMaxExampleLines
};

// How a file was read, for validate's facts and for messages ("';'-separated, decimal comma").
struct FileFormat {
  std::string reading;  // the CSV reader's: "';'-separated (sep= line), UTF-16"
  char decimal = '.';
  bool decimal_configured = false;  // from csv.decimal rather than the file's evidence
  std::string timezone;             // csv.timezone applied to timestamps without an offset
  std::string describe() const;
};

struct Frame {
  std::string kind;  // "ads", "leads", ... (the FileSpec kind)
  std::string path;
  int64_t n_rows = 0;
  std::vector<int64_t> lines;  // physical line of each row, for messages

  std::unordered_map<std::string, std::vector<int32_t>> codes;   // Id and Text columns
  std::unordered_map<std::string, std::vector<double>> numbers;  // NaN = null
  std::unordered_map<std::string, std::vector<int32_t>> dates;   // kNullDate = null
  std::unordered_map<std::string, std::vector<int64_t>> times;   // kNullTime = null

  std::vector<std::string> present_columns;    // canonical names found, in file order
  std::map<std::string, std::string> renamed;  // canonical -> original header spelling (a label)
  std::vector<std::string> dropped_columns;    // header labels outside the contract
  // The currency the spend header names ("Amount spent (EUR)" -> "EUR"), and that header;
  // empty when it names none (contracts/checks.cpp compares them across files and config).
  std::string currency, currency_header;
  // The header line looks like a data row (io::header_looks_like_data): names and
  // messages are labels (io/contact_data.h), and messages ask whether it is missing.
  bool header_looks_like_data = false;
  std::map<std::string, ColumnIssues> issues;  // by canonical name
  std::vector<std::string> warnings;
  double size_mb = 0;
  FileFormat format;

  bool has(const std::string& column) const;
  // Keeps the rows whose keep[i] is non-zero, in order, in every column and in `lines`.
  // Empty-cell counts then describe the rows kept; the other column issues, the file as read.
  void keep_rows(const std::vector<uint8_t>& keep);
  // Row index of a physical line, or -1 (lines are ascending).
  int64_t row_of_line(int64_t line) const;
};

// The first and last value of the first date column, else of the first timestamp column
// (in file order), formatted; empty strings when the frame has neither or only nulls.
std::pair<std::string, std::string> date_range(const Frame& frame);

}  // namespace elv::contracts
