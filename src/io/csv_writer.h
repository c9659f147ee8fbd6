// CSV output (RFC 4180 quoting), plain or gzip-compressed, buffered.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>


namespace elv::csv {

class Writer {
 public:
  // gzip = true writes a .gz file (libdeflate level 1, one gzip member per 4 MiB block; the
  // big artifacts use io::write_gzip_blocks instead). Throws elv::Error if the file cannot
  // be opened. Call close() to flush and surface write errors; the destructor closes
  // silently.
  Writer(const std::string& path, bool gzip = false);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  Writer& field(std::string_view text);  // quoted when it holds , " CR or LF
  Writer& field(int64_t value);
  Writer& field(int value) { return field(static_cast<int64_t>(value)); }
  Writer& field(double value);            // shortest round-trip form; NaN -> empty
  Writer& fixed(double value, int decimals);  // e.g. money with 2 decimals; NaN -> empty
  Writer& empty();                        // a null cell
  void end_row();
  void close();

 private:
  void separator();
  void flush_buffer();
  std::string path_;
  std::string buffer_;
  bool at_row_start_ = true;
  std::FILE* file_ = nullptr;
  bool gzip_ = false;
};

// Append one cell to an in-memory line with the same quoting and number rules.
void append_quoted(std::string& out, std::string_view text);
void append_double(std::string& out, double value);  // shortest round-trip; NaN -> nothing
// At most `significant_digits` digits (0 = shortest round-trip; whole numbers in full);
// NaN -> nothing.
void append_double_digits(std::string& out, double value, int significant_digits);

}  // namespace elv::csv
