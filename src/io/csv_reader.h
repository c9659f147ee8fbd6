// CSV input: RFC 4180 (quotes, doubled quotes, newlines in quotes, CRLF or CR-only line
// ends), UTF-8 BOM, ',' ';' or tab separated (detected, from Excel's "sep=" line, or
// forced), and UTF-16 (BOM-marked) files. Only regular files are read. The whole file is held in
// memory once, decoded to UTF-8; records are tokenised on demand, and can be split into chunks at
// record boundaries so big files (ads.csv, breakdowns) are parsed on several threads.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace elv::csv {

// A contiguous run of records: [begin, end) byte offsets into the decoded text.
struct Chunk {
  size_t begin = 0;
  size_t end = 0;
  int64_t first_line = 0;  // 1-based physical line number of the chunk's first record
};

// fields are valid only during the call; row is the 1-based physical line where the
// record starts (the header is line 1), so it matches what an editor shows.
using RowFn = std::function<void(int64_t row, const std::vector<std::string_view>& fields)>;

struct ReadOptions {
  char delimiter = 0;  // ',', ';' or '\t'; 0 = detect (or take the file's "sep=" line)
};

// How the delimiter was decided, for messages.
enum class DelimiterSource { Detected, SepLine, Configured };

class Reader {
 public:
  // Reads and decodes the file. Throws elv::Error when it is not a regular file (checked
  // before opening: a FIFO or /dev/zero is refused at once), cannot be read, is not text
  // (a NUL byte names its line), holds an unterminated quote (naming the line), or when a
  // configured delimiter clearly is the wrong one.
  static Reader open(const std::string& path, const ReadOptions& options = {});
  // Same, from bytes already in memory; name is used in error messages.
  static Reader from_string(std::string bytes, std::string name = "<memory>",
                            const ReadOptions& options = {});

  const std::string& name() const { return name_; }
  char delimiter() const { return delimiter_; }  // ',', ';' or '\t'
  DelimiterSource delimiter_source() const { return delimiter_source_; }
  bool was_utf16() const { return was_utf16_; }
  bool was_cr_only() const { return was_cr_only_; }  // lines ended in '\r' alone (old Mac Excel)
  // "';'-separated", "tab-separated, UTF-16", "','-separated (sep= line), CR line ends".
  std::string describe_format() const;
  bool has_header() const { return !header_.empty(); }  // false for an empty file
  // Trimmed, with invisible characters (no-break space, zero-width characters, soft hyphen,
  // BOM) removed: "Amount spent\u00A0(EUR)" matches "Amount spent (EUR)".
  const std::vector<std::string>& header() const { return header_; }
  int64_t header_line() const { return header_line_; }  // 2 after a "sep=" line
  // One warning per header cell that held invisible characters:
  // "header 'Amount spent (EUR)' held invisible characters (no-break space); they were ignored".
  const std::vector<std::string>& header_notes() const { return header_notes_; }
  // The header has a single column: with a missing-column error, a sign that the file
  // uses a delimiter elv did not see (see single_column_hint()).
  bool single_column_header() const { return header_.size() == 1; }
  // For a missing-column message: "" unless the header is one column, else a sentence
  // saying so and what to check.
  std::string single_column_hint() const;

  // All records after the header, split into at most n chunks of similar size, cut only
  // at record boundaries (outside quotes).
  std::vector<Chunk> chunks(int n) const;

  // Calls fn for every record of the chunk. Blank lines are skipped. A record whose field
  // count differs from the header's throws elv::Error naming the file and line
  // ("expected 10 fields, found 9").
  void for_each(const Chunk& chunk, const RowFn& fn) const;
  void for_each(const RowFn& fn) const;  // the whole file, one thread

  // About how many records the chunk holds (from the newlines of its first 64 KB, plus a
  // little): for reserving columns before parsing.
  size_t estimate_records(const Chunk& chunk) const;

  size_t size_bytes() const { return text_.size(); }

 private:
  // Builds the reader over bytes kept alive by storage (a mapped file or a string).
  static Reader from_bytes(std::shared_ptr<const void> storage, std::string_view bytes,
                           std::string name, const ReadOptions& options);
  void use_cr_only_line_ends();  // when the text has '\r' but no '\n': a copy with '\n'
  // Detects the delimiter from the header at p and the first records.
  void choose_delimiter(const char* p, const char* end);
  void read_header(const char*& p, const char* end, int64_t& line);

  std::string name_;
  // The decoded UTF-8 text, BOM removed: a view into storage_, which is the mapped file
  // (regular files: no copy) or a string (UTF-16 or CR-only input, from_string).
  std::shared_ptr<const void> storage_;
  std::string_view text_;
  char delimiter_ = ',';
  DelimiterSource delimiter_source_ = DelimiterSource::Detected;
  bool was_utf16_ = false;
  bool was_cr_only_ = false;
  std::vector<std::string> header_;
  std::vector<std::string> header_notes_;
  int64_t header_line_ = 1;
  size_t body_begin_ = 0;  // offset of the first record after the header
  int64_t body_first_line_ = 2;
  // Offsets of record starts (outside quotes) every few KiB of the body, found by the
  // structural scan done at load, so chunks() needs no quote-aware second pass.
  std::vector<size_t> boundaries_;
  void index_body();  // the structural scan: fills boundaries_, rejects unterminated quotes
};

}  // namespace elv::csv
