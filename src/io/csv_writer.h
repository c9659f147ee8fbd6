// CSV output (RFC 4180 quoting), plain or gzip-compressed, buffered.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "io/files.h"

namespace elv::csv {

class Writer {
 public:
  // gzip = true writes a .gz file (ISA-L level 2, one gzip member per 4 MiB block; the
  // big artifacts use io::write_gzip_blocks instead). Throws elv::Error if the file cannot
  // be opened. Call close() to flush and surface write errors; the destructor closes
  // silently.
  Writer(const std::string& path, bool gzip = false);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  Writer& field(std::string_view text);  // a text cell: write_text_cell
  Writer& field(int64_t value);
  Writer& field(int value) { return field(static_cast<int64_t>(value)); }
  Writer& field(double value);                // shortest round-trip form; NaN -> empty
  Writer& fixed(double value, int decimals);  // e.g. money with 2 decimals; NaN -> empty
  void end_row();
  void close();

 private:
  void separator();
  void flush_buffer();
  std::string path_;
  std::string buffer_;
  bool at_row_start_ = true;
  io::UniqueFile file_;
  bool gzip_ = false;
};

// Spreadsheet safety (OWASP "CSV injection"). Excel, LibreOffice and Google Sheets run a
// cell that starts with = + - @ (or tab or CR, which some strip first) as a formula, and a
// campaign or ad name is whatever the advertiser typed: =HYPERLINK(...) must stay text. So
// every text cell elv writes into a CSV goes through write_text_cell / append_quoted, which
// put a ' before such a cell. Only the first byte is looked at, except for a leading + or -,
// where a text that is a number ("-5", "+1.5") is left alone: it is not a formula. Number
// cells (field(double), fixed, append_double) are never changed. A cell that already starts
// with ' is safe as it is.
bool needs_formula_guard(std::string_view text);
// For readers of elv's own CSV outputs (the report, the web app): the cell as it was before
// write_text_cell, i.e. without a ' that precedes a formula trigger.
std::string_view without_formula_guard(std::string_view cell);

// A text cell at p, formula-guarded and quoted when it holds , " CR or LF; returns the end.
// p must have text_cell_room(text.size()) bytes (every character a doubled quote, the
// guard, the two quotes). For writers that format rows by pointer.
constexpr size_t text_cell_room(size_t text_bytes) { return 2 * text_bytes + 3; }
char* write_text_cell(char* p, std::string_view text);

// Append one text cell to an in-memory line (write_text_cell), or a number with the
// Writer's rules.
void append_quoted(std::string& out, std::string_view text);
void append_double(std::string& out, double value);  // shortest round-trip; NaN -> nothing
// At most `significant_digits` digits (0 = shortest round-trip; whole numbers in full);
// NaN -> nothing.
void append_double_digits(std::string& out, double value, int significant_digits);

}  // namespace elv::csv
