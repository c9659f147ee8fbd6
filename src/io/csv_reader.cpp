#include "io/csv_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <sys/mman.h>
#include <sys/stat.h>

#include "base/error.h"
#include "io/contact_data.h"
#include "io/files.h"
#include "io/utf8.h"

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
// Limits (docs/LIMITS.md). Each is far above any real export; they exist so that a broken
// or hostile file fails with one clear line instead of exhausting memory. Every breach is
// an elv::Error naming the file (and the line and column where there is one).
constexpr uint64_t kMaxFileBytes = uint64_t{4} << 30;  // 4 GiB per input file
constexpr size_t kMaxColumns = 10'000;                 // fields per record, header included
constexpr size_t kMaxCellBytes = size_t{1} << 20;      // 1 MiB per cell
constexpr int64_t kMaxLines = 200'000'000;             // physical lines per file

std::string mib_text(uint64_t bytes) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

[[noreturn]] void throw_file_too_big(uint64_t bytes, const std::string& name) {
  throw Error("file is " + mib_text(bytes) + ", above the limit of 4 GiB per input file " +
                  "(docs/LIMITS.md); split or filter it",
              name);
}

// ---------------------------------------------------------------------------------------
// Reading the bytes

[[noreturn]] void throw_read_error(int err, const std::string& path) {
  throw Error(std::string("cannot read file: ") + std::strerror(err), path);
}

// A regular file mapped read-only: the page cache is used in place, where reading it
// zero-filled and then copied a buffer of the file's size (a 78 MB breakdown: 60 ms to
// read, 9 ms to map; issue 5). nullptr for what cannot be mapped (empty files, /proc files
// reporting size 0, mmap failures): those are read. Only regular files get here. A file truncated
// by another program while mapped would fault; inputs are exports that nothing rewrites during a
// run.
struct MappedFile {
  void* data = nullptr;
  size_t size = 0;
  ~MappedFile() {
    if (data) ::munmap(data, size);
  }
};

std::shared_ptr<const MappedFile> map_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;  // read_file reports the error
  struct stat st {};
  std::shared_ptr<MappedFile> mapped;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    if (static_cast<uint64_t>(st.st_size) > kMaxFileBytes) {
      ::close(fd);
      throw_file_too_big(static_cast<uint64_t>(st.st_size), path);
    }
    void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ,
                     MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p != MAP_FAILED) {
      mapped = std::make_shared<MappedFile>();
      mapped->data = p;
      mapped->size = static_cast<size_t>(st.st_size);
    }
  }
  ::close(fd);
  return mapped;
}

std::string read_file(const std::string& path) {
  io::UniqueFile file(std::fopen(path.c_str(), "rb"));
  if (!file) throw_read_error(errno, path);
  std::string bytes;
  // Regular files are read in one go into a buffer of the exact size: no regrowth copies
  // of a file that may be hundreds of MB.
  struct stat st {};
  if (::fstat(fileno(file.get()), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    // Checked before allocating: a 50 GB file must fail at once, not after swapping.
    if (static_cast<uint64_t>(st.st_size) > kMaxFileBytes)
      throw_file_too_big(static_cast<uint64_t>(st.st_size), path);
    bytes.resize(static_cast<size_t>(st.st_size));
    bytes.resize(std::fread(bytes.data(), 1, bytes.size(), file.get()));
  }
  // Then read to EOF in blocks: covers /proc files reporting size 0, and files that grew
  // meanwhile. For a regular file this is one extra read returning 0.
  char block[16 * 1024];
  size_t got;
  while ((got = std::fread(block, 1, sizeof block, file.get())) > 0) {
    bytes.append(block, got);
    if (bytes.size() > kMaxFileBytes) throw_file_too_big(bytes.size(), path);  // still growing
  }
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

// Two passes (measure, then write) so the output is allocated once at its exact size.
std::string utf16_to_utf8(std::string_view bytes, bool little_endian) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data()) + 2;  // past the BOM
  const size_t n = bytes.size() - 2;
  size_t length = 0;
  decode_utf16(s, n, little_endian, [&](uint32_t cp) { length += io::utf8::encoded_length(cp); });
  std::string out(length, '\0');
  char* w = out.data();
  decode_utf16(s, n, little_endian, [&](uint32_t cp) { w = io::utf8::encode(w, cp); });
  return out;
}

// Binary data that happens to hold no NUL byte (a compressed or encrypted file, random
// bytes): judged on the first 64 KiB, as file(1) does. Text in a legacy 8-bit encoding has a
// few malformed UTF-8 bytes (accented letters, which the loader decodes as Windows-1252);
// binary data has them, and control characters, everywhere.
bool looks_binary(std::string_view text) {
  const std::string_view sample = text.substr(0, 64 * 1024);
  size_t suspicious = 0;
  for (size_t i = 0; i < sample.size();) {
    const auto c = static_cast<unsigned char>(sample[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++suspicious;
      ++i;
    } else if (const size_t n =
                   io::utf8::sequence_length(sample, i, io::utf8::CutOff::kWellFormed)) {
      // The sample may end inside a character that is whole in the file.
      i += n;
    } else {
      ++suspicious;
      ++i;
    }
  }
  return suspicious >= 8 && suspicious * 10 >= sample.size();
}

// UTF-16 text without a BOM cannot be told from binary data for sure, but mostly-ASCII
// UTF-16 has a NUL in every other byte (odd offsets for little-endian, even for big): worth
// a hint in the message.
bool looks_like_utf16_without_bom(std::string_view bytes) {
  const std::string_view sample = bytes.substr(0, 4096);
  size_t nul[2] = {0, 0};
  for (size_t i = 0; i < sample.size(); ++i) nul[i % 2] += sample[i] == '\0';
  const size_t half = sample.size() / 2;
  return half >= 4 && (std::max(nul[0], nul[1]) * 10 >= half * 9) &&
         std::min(nul[0], nul[1]) * 20 <= half;
}

// The physical line of byte pos: lines end in '\n', or in '\r' in a file without any '\n'
// (old Mac Excel; see Reader::use_cr_only_line_ends). For error messages only.
int64_t line_of(std::string_view bytes, size_t pos) {
  const char end_of_line = bytes.find('\n') == std::string_view::npos ? '\r' : '\n';
  return 1 +
         std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(pos), end_of_line);
}

// Returns the text as UTF-8 without BOM. Invalid UTF-8 is passed through untouched:
// cells are only ever compared and copied, so validating every byte would cost time for
// nothing (the loader makes the strings it keeps valid UTF-8; see contracts/loader.cpp).
// UTF-16 input is converted into `converted` and the view points there; otherwise the view
// is a part of bytes.
std::string_view decode(std::string_view bytes, const std::string& name, bool& was_utf16,
                        std::string& converted) {
  std::string_view head(bytes.data(), std::min<size_t>(bytes.size(), 3));
  was_utf16 = head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF");
  if (was_utf16) {
    converted = utf16_to_utf8(bytes, head[0] == '\xFF');
    bytes = converted;
  } else if (const void* nul = std::memchr(bytes.data(), '\0', bytes.size())) {
    // NUL never occurs in UTF-8 text: this is a spreadsheet, archive or BOM-less UTF-16 -
    // or a text file with a stray NUL (a damaged copy), which is worth its line number.
    if (looks_like_utf16_without_bom(bytes))
      throw Error(
          "not a text CSV file (binary data, or UTF-16 without a byte-order mark: "
          "save it as UTF-8)",
          name);
    if (looks_binary(bytes)) throw Error("not a text CSV file (binary data)", name);
    const auto pos = static_cast<size_t>(static_cast<const char*>(nul) - bytes.data());
    throw Error("a NUL byte (0x00) in the file; remove it or re-export the file", name,
                line_of(bytes, pos));
  } else if (looks_binary(bytes)) {
    throw Error("not a text CSV file (binary data)", name);
  }
  if (bytes.starts_with(kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
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
  // header: names for the column of a limit error (null while reading the header itself).
  Tokenizer(char delimiter, const std::string& name,
            const std::vector<std::string>* header = nullptr)
      : delim_(delimiter), name_(name), header_(header) {}

  // Parses the record starting at p (not past end) into rec and returns the position after
  // it. `line` is advanced past every newline consumed, including the terminating one.
  // Throws elv::Error when the record breaks the column or cell-length limit.
  const char* record(const char* p, const char* end, Record& rec, int64_t& line) const {
    rec.clear();
    const int64_t first_line = line;
    for (;;) {
      if (p < end && *p == '"') {
        p = quoted_field(p, end, rec, line, first_line);
      } else {
        const char* start = p;
        while (p < end && *p != delim_ && *p != '\n') ++p;
        const auto size = static_cast<size_t>(strip_cr(start, p, end) - start);
        if (size > kMaxCellBytes) throw_cell_too_long(size, rec.fields.size(), first_line);
        rec.fields.emplace_back(start, size);
      }
      // Stops a line of a million commas before it becomes a million fields in memory.
      if (rec.fields.size() > kMaxColumns) {
        throw Error("more than " + std::to_string(kMaxColumns) +
                        " columns in one record (the limit; docs/LIMITS.md)",
                    name_, first_line);
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
  [[noreturn]] void throw_cell_too_long(size_t size, size_t field, int64_t line) const {
    const std::string column = header_ && field < header_->size() && !(*header_)[field].empty()
                                   ? io::header_labels(*header_)[field]  // never a lead's e-mail
                                   : "#" + std::to_string(field + 1);
    throw Error("cell is " + mib_text(size) + " long, above the limit of 1 MiB per cell " +
                    "(docs/LIMITS.md)",
                name_, line, column);
  }

  // p is at the opening quote; returns the position of the delimiter/newline/end after it.
  const char* quoted_field(const char* open, const char* end, Record& rec, int64_t& line,
                           int64_t record_line) const {
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
    if (static_cast<size_t>(close - open - 1) > kMaxCellBytes)
      throw_cell_too_long(static_cast<size_t>(close - open - 1), rec.fields.size(), record_line);
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
  const std::vector<std::string>* header_;
};

// ---------------------------------------------------------------------------------------
// Header

constexpr char kDelimiters[] = {',', ';', '\t'};

std::string delimiter_name(char d) { return d == '\t' ? "tab" : std::string("'") + d + "'"; }

bool is_delimiter(char c) {
  return std::find(std::begin(kDelimiters), std::end(kDelimiters), c) != std::end(kDelimiters);
}

// The number of fields of the record at p if split on delim, moving p past it. Quotes
// follow the tokenizer's rule (they open a field only at its start), so a quoted
// "Amount spent, USD" does not count for ','.
size_t count_fields(const char*& p, const char* end, char delim) {
  size_t fields = 1;
  bool field_start = true;
  while (p < end) {
    if (*p == '"' && field_start) {
      for (++p; p < end; ++p) {
        if (*p != '"') continue;
        if (p + 1 < end && p[1] == '"')
          ++p;
        else
          break;
      }
      if (p < end) ++p;
      field_start = false;
      continue;
    }
    const char c = *p++;
    if (c == '\n') break;
    field_start = c == delim;
    fields += field_start;
  }
  return fields;
}

// Up to kSample records after the header, within its first 64 KiB, all have `fields`
// fields when split on delim: the check that a delimiter seen in the header is the one
// the rows use (a header "a,b" over rows "1;5;x" is not comma-separated after all).
bool rows_agree(const char* p, const char* end, char delim, size_t fields) {
  constexpr int kSample = 5;
  if (end - p > 64 * 1024) end = p + 64 * 1024;
  for (int seen = 0; seen < kSample && p < end;) {
    if (*p == '\n' || (*p == '\r' && (p + 1 == end || p[1] == '\n'))) {  // a blank line
      p += *p == '\n' ? 1 : std::min<ptrdiff_t>(2, end - p);
      continue;
    }
    const char* record_start = p;
    const size_t n = count_fields(p, end, delim);
    if (p == end && end != record_start && end[-1] != '\n') break;  // cut by the sample
    if (n != fields) return false;
    ++seen;
  }
  return true;
}

// Excel writes "sep=;" as the first line of a CSV saved for another locale; it names the
// delimiter and is not part of the data. Returns the delimiter and moves p past the line,
// or returns 0 and leaves p. An unsupported one ("sep=|") is an error.
char read_sep_line(const char*& p, const char* end, const std::string& name) {
  constexpr std::string_view kSep = "sep=";
  if (static_cast<size_t>(end - p) < kSep.size() + 1 || std::string_view(p, kSep.size()) != kSep)
    return 0;
  const char* q = p + kSep.size() + 1;
  if (q < end && *q == '\r') ++q;
  if (q < end && *q != '\n') return 0;  // "sep=..." longer than one character: a header cell
  const char d = p[kSep.size()];
  if (!is_delimiter(d)) {
    throw Error(
        "the \"sep=\" line names '" + std::string(1, d) +
            "' as the delimiter; elv reads ',', ';' or tab: re-export the file with one of them",
        name, 1);
  }
  p = q < end ? q + 1 : end;
  return d;
}

// Characters that do not show in a spreadsheet but make "Amount spent (EUR)" a different
// header: copied from web pages, or added by Excel (BOM of concatenated files).
struct Invisible {
  std::string_view utf8;
  const char* name;
  const char* replacement;
};
constexpr Invisible kInvisibles[] = {
    {"\xC2\xA0", "no-break space", " "},       {"\xC2\xAD", "soft hyphen", ""},
    {"\xE2\x80\x8B", "zero-width space", ""},  {"\xE2\x80\x8C", "zero-width non-joiner", ""},
    {"\xE2\x80\x8D", "zero-width joiner", ""}, {"\xE2\x81\xA0", "word joiner", ""},
    {"\xEF\xBB\xBF", "byte-order mark", ""},
};

// s without invisible characters (a no-break space becomes a space); the names of those
// found are added to `found`, once each.
std::string remove_invisible(std::string_view s, std::vector<std::string_view>& found) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const Invisible* hit = nullptr;
    // All of them start with a byte >= 0xC2: plain ASCII is copied without a lookup.
    if (static_cast<unsigned char>(s[i]) >= 0xC2) {
      for (const Invisible& inv : kInvisibles)
        if (s.substr(i).starts_with(inv.utf8)) hit = &inv;
    }
    if (!hit) {
      out.push_back(s[i++]);
      continue;
    }
    if (std::find(found.begin(), found.end(), hit->name) == found.end()) found.push_back(hit->name);
    out += hit->replacement;
    i += hit->utf8.size();
  }
  return out;
}

std::string trim_header_name(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

// ---------------------------------------------------------------------------------------
// Structural scan

// Physical line numbers only depend on the count of '\n' before an offset, quoted or not.
// Counted eight bytes at a time: std::count is not vectorised at -O2, and chunks() counts
// over the whole body.
int64_t count_newlines(const char* p, const char* end) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL, kHigh = ~kLow7,
                     kNewlines = 0x0A0A0A0A0A0A0A0AULL;
  constexpr uint64_t kLanes16 = 0x00FF00FF00FF00FFULL;
  int64_t n = 0;
  while (end - p >= 8) {
    uint64_t counters = 0;  // eight byte-wide counters: 255 rounds cannot overflow them
    for (int round = 0; round < 255 && end - p >= 8; ++round, p += 8) {
      uint64_t x;
      std::memcpy(&x, p, 8);
      x ^= kNewlines;                                      // '\n' bytes become zero
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

size_t Reader::estimate_records(const Chunk& chunk) const {
  const size_t size = chunk.end > chunk.begin ? chunk.end - chunk.begin : 0;
  const size_t sample = std::min<size_t>(size, 64 * 1024);
  const char* p = text_.data() + chunk.begin;
  const auto newlines = static_cast<size_t>(std::count(p, p + sample, '\n'));
  if (newlines == 0) return 1;
  // 3 % over the sampled rate; never more rows than the bytes allow (a record is at least
  // one byte per field), nor more than 64 M (a file of blank lines must not reserve GBs).
  const auto estimate =
      static_cast<size_t>(static_cast<double>(size) / static_cast<double>(sample) *
                          static_cast<double>(newlines) * 1.03) +
      1;
  const size_t by_bytes = size / std::max<size_t>(2, header_.size()) + 1;
  return std::min({estimate, by_bytes, size_t{1} << 26});
}

Reader Reader::open(const std::string& path, const ReadOptions& options) {
  io::require_regular_file(path, "CSV file");
  if (auto mapped = map_file(path)) {
    const auto* region = mapped.get();
    return from_bytes(std::move(mapped), {static_cast<const char*>(region->data), region->size},
                      path, options);
  }
  return from_string(read_file(path), path, options);
}

Reader Reader::from_string(std::string bytes, std::string name, const ReadOptions& options) {
  auto owned = std::make_shared<const std::string>(std::move(bytes));
  const std::string_view view(*owned);
  return from_bytes(std::move(owned), view, std::move(name), options);
}

Reader Reader::from_bytes(std::shared_ptr<const void> storage, std::string_view bytes,
                          std::string name, const ReadOptions& options) {
  if (bytes.size() > kMaxFileBytes) throw_file_too_big(bytes.size(), name);
  if (options.delimiter != 0 && !is_delimiter(options.delimiter))
    throw Error(
        "the delimiter must be ',', ';' or tab, not '" + std::string(1, options.delimiter) + "'",
        name);
  Reader r;
  r.name_ = std::move(name);
  std::string converted;
  r.text_ = decode(bytes, r.name_, r.was_utf16_, converted);
  if (r.was_utf16_) {
    auto owned = std::make_shared<const std::string>(std::move(converted));
    r.text_ = *owned;
    r.storage_ = std::move(owned);
  } else {
    r.storage_ = std::move(storage);
  }
  r.use_cr_only_line_ends();
  const char* begin = r.text_.data();
  const char* end = begin + r.text_.size();
  const char* p = begin;
  int64_t line = 1;
  const char sep_line = read_sep_line(p, end, r.name_);
  if (sep_line) ++line;
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
  if (options.delimiter != 0) {
    r.delimiter_ = options.delimiter;
    r.delimiter_source_ = DelimiterSource::Configured;
  } else if (sep_line) {
    r.delimiter_ = sep_line;
    r.delimiter_source_ = DelimiterSource::SepLine;
  } else {
    r.choose_delimiter(p, end);
  }
  r.read_header(p, end, line);
  r.body_begin_ = static_cast<size_t>(p - begin);
  r.body_first_line_ = line;
  r.index_body();
  return r;
}

// Old Excel for Mac ends lines with '\r' alone. Such a file has no '\n' at all; its '\r's
// become '\n' in a copy, once, and everything after reads it as usual. Any '\n' means
// '\n' or CRLF line ends: memchr finds it within the first line, so the common path pays
// nothing. (A '\r' inside a quoted cell of a CR-only file becomes '\n' too: Excel writes
// line breaks in cells the same way as line ends there.)
void Reader::use_cr_only_line_ends() {
  if (text_.empty() || std::memchr(text_.data(), '\n', text_.size()) != nullptr) return;
  if (std::memchr(text_.data(), '\r', text_.size()) == nullptr) return;
  auto owned = std::make_shared<std::string>(text_);
  std::replace(owned->begin(), owned->end(), '\r', '\n');
  text_ = *owned;
  storage_ = std::move(owned);
  was_cr_only_ = true;
}

// The delimiter that splits the header at p into the most fields, among those whose rows
// (the first few) have as many fields: counted outside quotes. Ties go to ',' then ';'.
// With none in the header, ',' (a one-column file).
void Reader::choose_delimiter(const char* p, const char* end) {
  delimiter_source_ = DelimiterSource::Detected;
  delimiter_ = ',';
  size_t best_fields = 1;
  bool best_agrees = false;
  for (const char d : kDelimiters) {
    const char* q = p;
    const size_t fields = count_fields(q, end, d);
    if (fields < 2) continue;
    const bool agrees = rows_agree(q, end, d, fields);
    // A delimiter the rows agree with beats one they do not; then more fields win.
    if ((agrees && !best_agrees) || (agrees == best_agrees && fields > best_fields)) {
      delimiter_ = d;
      best_fields = fields;
      best_agrees = agrees;
    }
  }
}

// Tokenises the header at p (moving p and line past it), cleans its names, and checks
// that a configured delimiter fits it.
void Reader::read_header(const char*& p, const char* end, int64_t& line) {
  header_line_ = line;
  const char* header_start = p;
  Record rec;
  p = Tokenizer(delimiter_, name_).record(p, end, rec, line);
  header_.reserve(rec.fields.size());
  for (std::string_view f : rec.fields) {
    std::vector<std::string_view> found;
    header_.push_back(trim_header_name(remove_invisible(f, found)));
    if (found.empty()) continue;
    std::string kinds;
    for (std::string_view k : found) kinds += (kinds.empty() ? "" : ", ") + std::string(k);
    // A label, never a name that looks like contact data (io/contact_data.h).
    header_notes_.push_back("header '" + io::safe_column_label(header_.back()) +
                            "' held invisible characters (" + kinds + "); they were ignored");
  }
  if (delimiter_source_ != DelimiterSource::Configured || header_.size() != 1) return;
  // One column under a configured delimiter while another one splits the header: the
  // configuration is wrong for this file, and saying so beats "missing column".
  for (const char d : kDelimiters) {
    const char* q = header_start;
    if (d != delimiter_ && count_fields(q, end, d) > 1) {
      throw Error("the file looks " + delimiter_name(d) + "-separated, but " +
                      delimiter_name(delimiter_) + " was configured (csv.delimiter)",
                  name_, header_line_);
    }
  }
}

std::string Reader::describe_format() const {
  std::string s = delimiter_name(delimiter_) + "-separated";
  if (delimiter_source_ == DelimiterSource::SepLine)
    s += " (sep= line)";
  else if (delimiter_source_ == DelimiterSource::Configured)
    s += " (configured)";
  if (was_utf16_) s += ", UTF-16";
  if (was_cr_only_) s += ", CR line ends";
  return s;
}

std::string Reader::single_column_hint() const {
  if (!single_column_header()) return "";
  std::string hint = "the header was read as a single column";
  // A delimiter inside the one cell: the whole header line is quoted, or split by a
  // character this file does not use elsewhere.
  for (const char d : kDelimiters) {
    if (header_[0].find(d) == std::string::npos) continue;
    if (delimiter_source_ == DelimiterSource::SepLine)
      return hint + " holding " + delimiter_name(d) + ", but the file's \"sep=\" line says " +
             delimiter_name(delimiter_) + ": remove or correct that line";
    return hint + " holding " + delimiter_name(d) + ": is the whole header line quoted?";
  }
  return hint + ": is the file separated by a character other than ',', ';' or tab?";
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
        throw_unterminated(name_,
                           body_first_line_ + count_newlines(base + body_begin_, base + open));
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
  if (n > 1)
    wanted = std::min<size_t>(static_cast<size_t>(n), std::max<size_t>(1, body / kMinChunkBytes));

  std::vector<Chunk> out;
  out.reserve(wanted);
  Chunk current{body_begin_, end, body_first_line_};
  for (size_t i = 1; i < wanted; ++i) {
    const size_t target = std::max(body_begin_ + body / wanted * i, current.begin + 1);
    auto it = std::lower_bound(boundaries_.begin(), boundaries_.end(), target);
    if (it == boundaries_.end()) break;
    const int64_t line =
        current.first_line + count_newlines(text_.data() + current.begin, text_.data() + *it);
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
  const Tokenizer tokenizer(delimiter_, name_, &header_);
  while (p < end) {
    if (const char* next = skip_blank_line(p, end)) {
      p = next;
      ++line;
      continue;
    }
    const int64_t row = line;
    if (row > kMaxLines) {
      throw Error("more than " + std::to_string(kMaxLines) +
                      " lines, the limit per input file (docs/LIMITS.md); split it",
                  name_, row);
    }
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
