#include "io/csv_writer.h"

#include <zlib.h>

#include <charconv>
#include <cmath>
#include <cstdio>

#include "io/error.h"

namespace elv::csv {

namespace {
constexpr size_t kFlushAt = 1 << 20;  // 1 MiB: few syscalls, bounded memory
}

void append_quoted(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

Writer::Writer(const std::string& path, bool gzip) : path_(path) {
  if (gzip) {
    gzFile gz = gzopen(path.c_str(), "wb6");
    if (!gz) throw Error("cannot open for writing", path);
    gzbuffer(gz, 256 * 1024);
    gz_ = gz;
  } else {
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_) throw Error("cannot open for writing", path);
  }
  buffer_.reserve(kFlushAt + 4096);
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

Writer& Writer::field(double value) {
  separator();
  if (std::isnan(value)) return *this;
  char tmp[64];
  auto res = std::to_chars(tmp, tmp + sizeof tmp, value);
  buffer_.append(tmp, res.ptr);
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

Writer& Writer::empty() {
  separator();
  return *this;
}

void Writer::end_row() {
  buffer_.push_back('\n');
  at_row_start_ = true;
  if (buffer_.size() >= kFlushAt) flush_buffer();
}

void Writer::flush_buffer() {
  if (buffer_.empty()) return;
  if (gz_) {
    int n = gzwrite(static_cast<gzFile>(gz_), buffer_.data(), static_cast<unsigned>(buffer_.size()));
    if (n != static_cast<int>(buffer_.size())) throw Error("write failed (disk full?)", path_);
  } else if (file_) {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
      throw Error("write failed (disk full?)", path_);
  }
  buffer_.clear();
}

void Writer::close() {
  if (!gz_ && !file_) return;
  flush_buffer();
  if (gz_) {
    int rc = gzclose(static_cast<gzFile>(gz_));
    gz_ = nullptr;
    if (rc != Z_OK) throw Error("closing gzip stream failed", path_);
  }
  if (file_) {
    int rc = std::fclose(file_);
    file_ = nullptr;
    if (rc != 0) throw Error("closing file failed", path_);
  }
}

}  // namespace elv::csv
