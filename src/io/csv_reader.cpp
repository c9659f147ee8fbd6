#include "io/csv_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "io/error.h"

namespace elv::csv {

namespace {

// Below this a chunk costs a thread more than it saves.
constexpr size_t kMinChunkBytes = 64 * 1024;
// Boundaries are remembered at least this far apart, and at most this many in total,
// so chunks are balanced to within a few KiB without storing one entry per record.
constexpr size_t kMinBoundaryStep = 8 * 1024;
constexpr size_t kMaxBoundaries = 16 * 1024;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// ---------------------------------------------------------------------------------------
// Reading the bytes

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

[[noreturn]] void throw_read_error(int err, const std::string& path) {
  throw Error(std::string("cannot read file: ") + std::strerror(err), path);
}

std::string read_file(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw_read_error(errno, path);
  std::string bytes;
  // Regular files are read in one go into a buffer of the exact size: no regrowth copies
  // of a file that may be hundreds of MB.
  struct stat st {};
  if (::fstat(fileno(file.get()), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    bytes.resize(static_cast<size_t>(st.st_size));
    bytes.resize(std::fread(bytes.data(), 1, bytes.size(), file.get()));
  }
  // Then read to EOF in blocks: covers pipes, /proc files reporting size 0, and files that
  // grew meanwhile. For a regular file this is one extra read returning 0.
  char block[16 * 1024];
  size_t got;
  while ((got = std::fread(block, 1, sizeof block, file.get())) > 0) bytes.append(block, got);
  if (std::ferror(file.get())) throw_read_error(errno ? errno : EIO, path);
  return bytes;
}

// ---------------------------------------------------------------------------------------
// Decoding to UTF-8

// Calls emit(code point) for each UTF-16 code unit sequence. Malformed input (lone
// surrogates, an odd trailing byte) becomes U+FFFD rather than an error: a spreadsheet
// export with one bad character should still load.
template <typename Emit>
void decode_utf16(const unsigned char* s, size_t n, bool little_endian, Emit&& emit) {
  auto unit = [&](size_t i) -> uint32_t {
    return little_endian ? (s[i] | (uint32_t{s[i + 1]} << 8)) : ((uint32_t{s[i]} << 8) | s[i + 1]);
  };
  size_t i = 0;
  for (; i + 1 < n; i += 2) {
    uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
      uint32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        emit(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) u = 0xFFFD;
    emit(u);
  }
  if (i < n) emit(0xFFFD);
}

size_t utf8_length(uint32_t cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }

char* put_utf8(char* out, uint32_t cp) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// Two passes (measure, then write) so the output is allocated once at its exact size.
std::string utf16_to_utf8(const std::string& bytes, bool little_endian) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data()) + 2;  // past the BOM
  const size_t n = bytes.size() - 2;
  size_t length = 0;
  decode_utf16(s, n, little_endian, [&](uint32_t cp) { length += utf8_length(cp); });
  std::string out(length, '\0');
  char* w = out.data();
  decode_utf16(s, n, little_endian, [&](uint32_t cp) { w = put_utf8(w, cp); });
  return out;
}

// Returns the text as UTF-8 without BOM. Invalid UTF-8 is passed through untouched:
// cells are only ever compared and copied, so validating would cost time for nothing.
std::string decode(std::string bytes, const std::string& name, bool& was_utf16) {
  std::string_view head(bytes.data(), std::min<size_t>(bytes.size(), 3));
  was_utf16 = head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF");
  if (was_utf16) {
    bytes = utf16_to_utf8(bytes, head[0] == '\xFF');
  } else if (std::memchr(bytes.data(), '\0', bytes.size()) != nullptr) {
    // NUL never occurs in UTF-8 text: this is a spreadsheet, archive or BOM-less UTF-16.
    throw Error("not a text CSV file (binary data)", name);
  }
  if (std::string_view(bytes).starts_with(kUtf8Bom)) bytes.erase(0, kUtf8Bom.size());
  return bytes;
}

// ---------------------------------------------------------------------------------------
// Tokenising

[[noreturn]] void throw_unterminated(const std::string& name, int64_t line) {
  throw Error("unterminated quoted field starting at line " + std::to_string(line), name, line);
}

// The fields of one record. Most fields are views straight into the text; only those that
// need unescaping ("" inside quotes) are copied, into `scratch`. Their views are set once
// the record is complete, because appending to scratch may move it.
struct Record {
  struct Pending {
    size_t index, offset, size;
  };
  std::vector<std::string_view> fields;
  std::string scratch;
  std::vector<Pending> pending;

  void clear() {
    fields.clear();
    if (!pending.empty()) {
      pending.clear();
      scratch.clear();
    }
  }
  void finish() {
    for (const Pending& p : pending) fields[p.index] = {scratch.data() + p.offset, p.size};
  }
};

// End of a field that stops at `stop`: a CR just before the record's LF (or the end of
// the text) belongs to the line ending, not to the cell.
inline const char* strip_cr(const char* start, const char* stop, const char* end) {
  if (stop > start && stop[-1] == '\r' && (stop == end || *stop == '\n')) return stop - 1;
  return stop;
}

// If a blank line ("" or "\r") starts at p, returns the position after it, else nullptr.
inline const char* skip_blank_line(const char* p, const char* end) {
  if (*p == '\n') return p + 1;
  if (*p == '\r') {
    if (p + 1 == end) return end;
    if (p[1] == '\n') return p + 2;
  }
  return nullptr;
}

// Appends the value of a raw quoted field [open, stop) to out: "" -> ", and after the
// closing quote everything is literal (the lenient reading of `"ab"cd` as `abcd`).
void unescape(const char* open, const char* stop, std::string& out) {
  bool quoted = true;
  for (const char* p = open + 1; p < stop; ++p) {
    if (quoted && *p == '"') {
      if (p + 1 < stop && p[1] == '"') {
        out.push_back('"');
        ++p;
      } else {
        quoted = false;
      }
      continue;
    }
    out.push_back(*p);
  }
}

// The RFC 4180 state machine. A quote opens a quoted field only at the start of a field;
// elsewhere it is kept literally. index_body() relies on exactly the same rule.
class Tokenizer {
 public:
  Tokenizer(char delimiter, const std::string& name) : delim_(delimiter), name_(name) {}

  // Parses the record starting at p (not past end) into rec and returns the position after
  // it. `line` is advanced past every newline consumed, including the terminating one.
  const char* record(const char* p, const char* end, Record& rec, int64_t& line) const {
    rec.clear();
    for (;;) {
      if (p < end && *p == '"') {
        p = quoted_field(p, end, rec, line);
      } else {
        const char* start = p;
        while (p < end && *p != delim_ && *p != '\n') ++p;
        rec.fields.emplace_back(start, static_cast<size_t>(strip_cr(start, p, end) - start));
      }
      if (p == end) break;
      if (*p == '\n') {
        ++line;
        ++p;
        break;
      }
      ++p;  // a delimiter: another field follows, possibly empty
    }
    rec.finish();
    return p;
  }

 private:
  // p is at the opening quote; returns the position of the delimiter/newline/end after it.
  const char* quoted_field(const char* open, const char* end, Record& rec, int64_t& line) const {
    const int64_t start_line = line;
    bool doubled = false;
    const char* q = open + 1;
    for (;; ++q) {
      if (q == end) throw_unterminated(name_, start_line);
      if (*q == '"') {
        if (q + 1 == end || q[1] != '"') break;
        doubled = true;
        ++q;
      } else if (*q == '\n') {
        ++line;
      }
    }
    const char* close = q;
    const char* after = close + 1;
    while (after < end && *after != delim_ && *after != '\n') ++after;  // stray text, rare
    const char* stop = strip_cr(close + 1, after, end);
    if (!doubled && stop == close + 1) {
      rec.fields.emplace_back(open + 1, static_cast<size_t>(close - open - 1));
    } else {
      const size_t offset = rec.scratch.size();
      unescape(open, stop, rec.scratch);
      rec.pending.push_back({rec.fields.size(), offset, rec.scratch.size() - offset});
      rec.fields.emplace_back();  // filled in by Record::finish()
    }
    return after;
  }

  char delim_;
  const std::string& name_;
};

// ---------------------------------------------------------------------------------------
// Header

// Decided on the header's first physical line, counting only outside quotes so a quoted
// "Amount spent, USD" does not vote for comma.
char detect_delimiter(const char* p, const char* end) {
  const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
  const char* eol = nl ? static_cast<const char*>(nl) : end;
  size_t tabs = 0, commas = 0;
  bool quoted = false;
  for (; p < eol; ++p) {
    if (*p == '"') quoted = !quoted;
    else if (!quoted && *p == '\t') ++tabs;
    else if (!quoted && *p == ',') ++commas;
  }
  return tabs > 0 && (commas == 0 || tabs > commas) ? '\t' : ',';
}

// Header names lose surrounding whitespace and any stray BOM (files concatenated with
// `cat`, or a BOM that ended up inside quotes).
std::string trim_header_name(std::string_view s) {
  for (;;) {
    if (s.starts_with(kUtf8Bom)) s.remove_prefix(kUtf8Bom.size());
    else if (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    else break;
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

// ---------------------------------------------------------------------------------------
// Structural scan

// Physical line numbers only depend on the count of '\n' before an offset, quoted or not.
// Counted eight bytes at a time: std::count is not vectorised at -O2, and chunks() counts
// over the whole body.
int64_t count_newlines(const char* p, const char* end) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL, kHigh = ~kLow7, kNewlines = 0x0A0A0A0A0A0A0A0AULL;
  constexpr uint64_t kLanes16 = 0x00FF00FF00FF00FFULL;
  int64_t n = 0;
  while (end - p >= 8) {
    uint64_t counters = 0;  // eight byte-wide counters: 255 rounds cannot overflow them
    for (int round = 0; round < 255 && end - p >= 8; ++round, p += 8) {
      uint64_t x;
      std::memcpy(&x, p, 8);
      x ^= kNewlines;                                    // '\n' bytes become zero
      const uint64_t nonzero = ((x & kLow7) + kLow7) | x;  // high bit set in non-zero bytes
      counters += (~nonzero & kHigh) >> 7;
    }
    counters = (counters & kLanes16) + ((counters >> 8) & kLanes16);  // four 16-bit sums
    n += static_cast<int64_t>((counters * 0x0001000100010001ULL) >> 48);
  }
  for (; p < end; ++p) n += (*p == '\n');
  return n;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Reader

Reader Reader::open(const std::string& path) { return from_string(read_file(path), path); }

Reader Reader::from_string(std::string bytes, std::string name) {
  Reader r;
  r.name_ = std::move(name);
  r.text_ = decode(std::move(bytes), r.name_, r.was_utf16_);
  const char* begin = r.text_.data();
  const char* end = begin + r.text_.size();
  const char* p = begin;
  int64_t line = 1;
  while (p < end) {
    const char* next = skip_blank_line(p, end);
    if (!next) break;
    p = next;
    ++line;
  }
  if (p == end) {  // empty, or only blank lines: no header, no records
    r.body_begin_ = r.text_.size();
    r.body_first_line_ = line;
    return r;
  }
  r.delimiter_ = detect_delimiter(p, end);
  Record rec;
  p = Tokenizer(r.delimiter_, r.name_).record(p, end, rec, line);
  r.header_.reserve(rec.fields.size());
  for (std::string_view f : rec.fields) r.header_.push_back(trim_header_name(f));
  r.body_begin_ = static_cast<size_t>(p - begin);
  r.body_first_line_ = line;
  r.index_body();
  return r;
}

// One pass over the body that jumps from quote to quote with memchr: it finds an
// unterminated quoted field now (so open() reports it, not some later pass), and records
// a record start every `step` bytes for chunks(). Newlines outside quoted fields are
// record ends, so boundaries are only looked for in the stretches between quoted fields.
// The rule for which quotes open a field matches Tokenizer: only at the start of a field.
// Line numbers are not counted here, so a single-threaded read never pays for them.
void Reader::index_body() {
  const char* base = text_.data();
  const size_t n = text_.size();
  const size_t step = std::max(kMinBoundaryStep, (n - body_begin_) / kMaxBoundaries);
  size_t next_target = body_begin_ + step;
  boundaries_.clear();

  // [from, to) lies outside quoted fields: every '\n' in it ends a record.
  auto add_boundaries = [&](size_t from, size_t to) {
    while (next_target < to) {
      const size_t at = std::max(from, next_target);
      const void* nl = std::memchr(base + at, '\n', to - at);
      if (!nl) return;  // keep the target for the next stretch
      const size_t cut = static_cast<size_t>(static_cast<const char*>(nl) - base) + 1;
      if (cut < n) boundaries_.push_back(cut);
      next_target = cut + step;
    }
  };

  size_t outside_from = body_begin_;
  size_t pos = body_begin_;
  while (pos < n) {
    const void* hit = std::memchr(base + pos, '"', n - pos);
    if (!hit) break;
    const size_t open = static_cast<size_t>(static_cast<const char*>(hit) - base);
    const char prev = open > 0 ? base[open - 1] : '\n';
    if (prev != delimiter_ && prev != '\n') {  // a literal quote inside an unquoted field
      pos = open + 1;
      continue;
    }
    add_boundaries(outside_from, open);
    size_t q = open + 1;
    for (;;) {
      const void* close = std::memchr(base + q, '"', n - q);
      if (!close) {
        throw_unterminated(name_, body_first_line_ + count_newlines(base + body_begin_, base + open));
      }
      q = static_cast<size_t>(static_cast<const char*>(close) - base) + 1;
      if (q < n && base[q] == '"') {  // doubled quote: still inside
        ++q;
        continue;
      }
      break;
    }
    outside_from = pos = q;
  }
  add_boundaries(outside_from, n);
}

std::vector<Chunk> Reader::chunks(int n) const {
  const size_t end = text_.size();
  const size_t body = end - body_begin_;
  size_t wanted = 1;
  if (n > 1) wanted = std::min<size_t>(static_cast<size_t>(n), std::max<size_t>(1, body / kMinChunkBytes));

  std::vector<Chunk> out;
  out.reserve(wanted);
  Chunk current{body_begin_, end, body_first_line_};
  for (size_t i = 1; i < wanted; ++i) {
    const size_t target = std::max(body_begin_ + body / wanted * i, current.begin + 1);
    auto it = std::lower_bound(boundaries_.begin(), boundaries_.end(), target);
    if (it == boundaries_.end()) break;
    const int64_t line = current.first_line + count_newlines(text_.data() + current.begin, text_.data() + *it);
    current.end = *it;
    out.push_back(current);
    current = Chunk{*it, end, line};
  }
  out.push_back(current);
  return out;
}

void Reader::for_each(const Chunk& chunk, const RowFn& fn) const {
  const char* p = text_.data() + chunk.begin;
  const char* end = text_.data() + chunk.end;
  const size_t expected = header_.size();
  int64_t line = chunk.first_line;
  Record rec;
  rec.fields.reserve(expected + 1);
  const Tokenizer tokenizer(delimiter_, name_);
  while (p < end) {
    if (const char* next = skip_blank_line(p, end)) {
      p = next;
      ++line;
      continue;
    }
    const int64_t row = line;
    p = tokenizer.record(p, end, rec, line);
    if (rec.fields.size() != expected) {
      // A line holding only "" in a multi-column file is a blank line, not a short record.
      if (rec.fields.size() == 1 && rec.fields[0].empty() && expected > 1) continue;
      throw Error("expected " + std::to_string(expected) + " fields, found " +
                      std::to_string(rec.fields.size()),
                  name_, row);
    }
    fn(row, rec.fields);
  }
}

void Reader::for_each(const RowFn& fn) const {
  for_each(Chunk{body_begin_, text_.size(), body_first_line_}, fn);
}

}  // namespace elv::csv
