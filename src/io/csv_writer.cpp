#include "io/csv_writer.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "io/gzip_members.h"
#include "io/parse.h"

namespace elv::csv {

namespace {
constexpr size_t kFlushAt = 1 << 20;     // 1 MiB: few syscalls, bounded memory
constexpr size_t kGzipBlock = 4u << 20;  // per gzip member: large enough to compress well
constexpr int kGzipLevel = 2;            // ISA-L level 2: fast, ratio near zlib 6
}  // namespace

bool needs_formula_guard(std::string_view text) {
  if (text.empty()) return false;
  switch (text.front()) {
    case '=':
    case '@':
    case '\t':
    case '\r':
      return true;
    case '+':
    case '-': {
      double value = 0;
      return parse::number(text, value) != parse::NumberStatus::Ok;
    }
    default:
      return false;
  }
}

std::string_view without_formula_guard(std::string_view cell) {
  if (cell.size() >= 2 && cell.front() == '\'' && needs_formula_guard(cell.substr(1)))
    cell.remove_prefix(1);
  return cell;
}

char* write_text_cell(char* p, std::string_view text) {
  const bool guard = needs_formula_guard(text);
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    if (guard) *p++ = '\'';
    return std::copy(text.begin(), text.end(), p);
  }
  *p++ = '"';
  if (guard) *p++ = '\'';
  for (char c : text) {
    if (c == '"') *p++ = '"';
    *p++ = c;
  }
  *p++ = '"';
  return p;
}

void append_quoted(std::string& out, std::string_view text) {
  const size_t used = out.size();
  out.resize(used + text_cell_room(text.size()));
  out.resize(static_cast<size_t>(write_text_cell(out.data() + used, text) - out.data()));
}

Writer::Writer(const std::string& path, bool gzip) : path_(path), gzip_(gzip) {
  file_.reset(std::fopen(path.c_str(), "wb"));
  if (!file_) throw Error("cannot open for writing", path);
  buffer_.reserve((gzip ? kGzipBlock : kFlushAt) + 4096);
}

Writer::~Writer() {
  try {
    close();
  } catch (...) {
  }
}

void Writer::separator() {
  if (!at_row_start_) buffer_.push_back(',');
  at_row_start_ = false;
}

Writer& Writer::field(std::string_view text) {
  separator();
  append_quoted(buffer_, text);
  return *this;
}

Writer& Writer::field(int64_t value) {
  separator();
  char tmp[32];
  auto res = std::to_chars(tmp, tmp + sizeof tmp, value);
  buffer_.append(tmp, res.ptr);
  return *this;
}

void append_double_digits(std::string& out, double value, int significant_digits) {
  if (std::isnan(value)) return;
  // 0/1 flags and small counts are most cells of the lead table (the targeting hash
  // buckets): one character, no conversion.
  if (value >= 0.0 && value <= 9.0 && value == static_cast<double>(static_cast<int>(value))) {
    out.push_back(static_cast<char>('0' + static_cast<int>(value)));
    return;
  }
  char tmp[64];
  // Counts and flags are whole numbers: integer formatting is several times faster than the
  // double path and prints the same text ("3", not "3.0" or "3e+00").
  if (std::abs(value) < 1e15 && value == static_cast<double>(static_cast<int64_t>(value))) {
    auto res = std::to_chars(tmp, tmp + sizeof tmp, static_cast<int64_t>(value));
    out.append(tmp, res.ptr);
    return;
  }
  auto res = significant_digits > 0 ? std::to_chars(tmp, tmp + sizeof tmp, value,
                                                    std::chars_format::general, significant_digits)
                                    : std::to_chars(tmp, tmp + sizeof tmp, value);
  out.append(tmp, res.ptr);
}

void append_double(std::string& out, double value) { append_double_digits(out, value, 0); }

Writer& Writer::field(double value) {
  separator();
  append_double(buffer_, value);
  return *this;
}

Writer& Writer::fixed(double value, int decimals) {
  separator();
  if (std::isnan(value)) return *this;
  char tmp[64];
  auto res = std::to_chars(tmp, tmp + sizeof tmp, value, std::chars_format::fixed, decimals);
  buffer_.append(tmp, res.ptr);
  return *this;
}

void Writer::end_row() {
  buffer_.push_back('\n');
  at_row_start_ = true;
  if (buffer_.size() >= (gzip_ ? kGzipBlock : kFlushAt)) flush_buffer();
}

void Writer::flush_buffer() {
  if (buffer_.empty()) return;
  if (file_) {
    const std::string member = gzip_ ? io::gzip_member(buffer_, kGzipLevel, path_) : std::string();
    const std::string& bytes = gzip_ ? member : buffer_;
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_.get()) != bytes.size())
      throw Error("write failed (disk full?)", path_);
  }
  buffer_.clear();
}

void Writer::close() {
  if (!file_) return;
  try {
    flush_buffer();
  } catch (...) {
    file_.reset();
    throw;
  }
  if (!io::close_checked(file_)) throw Error("closing file failed", path_);
}

}  // namespace elv::csv
