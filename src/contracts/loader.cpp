#include "contracts/loader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "base/error.h"
#include "base/format.h"
#include "base/parallel.h"
#include "io/contact_data.h"
#include "io/csv_reader.h"
#include "io/parse.h"
#include "io/timezone.h"
#include "io/utf8.h"

namespace elv::contracts {

// ---- Dictionary -----------------------------------------------------------------------

uint64_t Dictionary::hash(std::string_view s) {
  // FNV-1a, then a final avalanche so the low bits (the slot index) are well mixed. IDs are
  // short, so a byte loop is as fast as anything fancier here.
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

size_t Dictionary::probe(std::string_view s, uint64_t h) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const int32_t code = slots_[i];
    if (code == kNullCode || (hashes_[code] == h && strings_[code] == s)) return i;
  }
}

void Dictionary::grow() {
  const size_t capacity = slots_.empty() ? 64 : slots_.size() * 2;
  slots_.assign(capacity, kNullCode);
  const size_t mask = capacity - 1;
  for (size_t code = 0; code < strings_.size(); ++code) {
    size_t i = hashes_[code] & mask;
    while (slots_[i] != kNullCode) i = (i + 1) & mask;
    slots_[i] = static_cast<int32_t>(code);
  }
}

void Dictionary::reserve(size_t n) {
  strings_.reserve(n);
  hashes_.reserve(n);
  while (slots_.size() < 2 * n) grow();
}

int32_t Dictionary::intern(std::string_view s) {
  if ((strings_.size() + 1) * 2 > slots_.size()) grow();  // load factor <= 1/2
  const uint64_t h = hash(s);
  const size_t slot = probe(s, h);
  if (slots_[slot] != kNullCode) return slots_[slot];
  const auto code = static_cast<int32_t>(strings_.size());
  strings_.emplace_back(s);
  hashes_.push_back(h);
  slots_[slot] = code;
  return code;
}

int32_t Dictionary::find(std::string_view s) const {
  if (slots_.empty()) return kNullCode;
  return slots_[probe(s, hash(s))];
}

namespace {
// Entity IDs share one dictionary per entity across files; texts share per column.
std::string dictionary_key(const std::string& column) { return column; }
}  // namespace

Dictionary& Dictionaries::for_column(const std::string& column) {
  auto& slot = by_key_[dictionary_key(column)];
  if (!slot) slot = std::make_unique<Dictionary>();
  return *slot;
}

const Dictionary& Dictionaries::for_column(const std::string& column) const {
  static const Dictionary kEmpty;
  auto it = by_key_.find(dictionary_key(column));
  return it == by_key_.end() ? kEmpty : *it->second;
}

bool Frame::has(const std::string& column) const {
  for (const auto& c : present_columns)
    if (c == column) return true;
  return false;
}

// ---- Loading --------------------------------------------------------------------------

namespace {

constexpr size_t kParallelThresholdBytes = 4u << 20;  // below this, one thread is faster

// ---- Text encoding of the strings kept ----------------------------------------------
// The CSV reader passes bytes through. Every string the loader keeps (IDs, names, header
// names) must be valid UTF-8, because it ends up in JSON artifacts (a model bundle's
// category vocabularies, metadata, profiles), and a JSON writer refuses anything else. Files
// saved by Excel as plain "CSV" are Windows-1252, so a byte that is not part of a
// well-formed UTF-8 sequence is read as the Windows-1252 character it stands for: "Caf\xE9"
// becomes "Café", the same string as the UTF-8 spelling of the name in another file.

// Windows-1252 0x80..0x9F; the five undefined bytes map to the C1 control of the same value
// (as Latin-1 does), so distinct bytes stay distinct characters.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// s itself when it is valid UTF-8 (the common case: one pass, no copy), else s with every
// malformed byte replaced by its Windows-1252 character.
std::string_view as_utf8(std::string_view s, std::string& storage) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
    } else if (const size_t n = io::utf8::sequence_length(s, i)) {
      i += n;
    } else {
      break;
    }
  }
  if (i == s.size()) return s;
  storage.assign(s.substr(0, i));
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    if (c < 0x80) {
      storage.push_back(static_cast<char>(c));
      ++i;
    } else if ((n = io::utf8::sequence_length(s, i)) != 0) {
      storage.append(s.substr(i, n));
      i += n;
    } else {
      io::utf8::append(storage, c < 0xA0 ? kCp1252High[c - 0x80] : c);
      ++i;
    }
  }
  return storage;
}

// The header line as written, valid UTF-8 (above): for matching against the contract only.
std::vector<std::string> header_cells(const csv::Reader& reader) {
  std::vector<std::string> cells;
  cells.reserve(reader.header().size());
  std::string storage;
  for (const auto& h : reader.header()) cells.emplace_back(as_utf8(h, storage));
  return cells;
}

// Header names for messages and metadata: labels, so a file without its header line does
// not show a lead's e-mail address as a column name (io/contact_data.h). Cells that name a
// contract column are shown even then.
std::vector<std::string> header_names(const FileSpec& spec, const std::vector<std::string>& cells) {
  return io::header_labels(
      cells, [&](std::string_view cell) { return !canonical_column(spec, cell).empty(); });
}

// What the header line should hold, for the message: the required columns, and ad_id where
// the file has one (the preferred join key), in the contract's order.
std::string example_header(const FileSpec& spec) {
  std::string out;
  for (const auto& col : spec.columns)
    if (col.required || col.name == "ad_id") out += (out.empty() ? "" : ",") + col.name;
  return out;
}

// "the first line looks like data, not column names (a column whose name looks like an
// e-mail address, …): is the header line missing? Add the header line, e.g. lead_id,…"
std::string missing_header_message(const FileSpec& spec, const std::vector<std::string>& cells) {
  std::vector<std::string> kinds;  // each description once, in the order of the line
  for (const auto& cell : cells) {
    std::string kind = io::data_description(cell);
    if (!kind.empty() && std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
      kinds.push_back(kind);
  }
  std::string listed;
  for (const auto& kind : kinds) listed += (listed.empty() ? "" : ", ") + kind;
  return "the first line looks like data, not column names (" + listed +
         "): is the header line missing? Add the header line, e.g. " + example_header(spec);
}

bool all_utf8(const Dictionary& dict) {
  std::string storage;
  for (size_t j = 0; j < dict.size(); ++j) {
    const std::string& s = dict.str(static_cast<int32_t>(j));
    if (as_utf8(s, storage).data() != s.data()) return false;
  }
  return true;
}

// "a, b, c, … (1234 more)": a header listed in an error stays one readable line.
std::string list_for_message(const std::vector<std::string>& names) {
  constexpr size_t kMaxNames = 20, kMaxNameBytes = 60;
  std::string s;
  for (size_t i = 0; i < names.size() && i < kMaxNames; ++i) {
    std::string name = names[i];
    if (name.size() > kMaxNameBytes) {
      name.resize(kMaxNameBytes);
      while (!name.empty() && (static_cast<unsigned char>(name.back()) & 0xC0) == 0x80)
        name.pop_back();
      if (!name.empty() && static_cast<unsigned char>(name.back()) >= 0xC0) name.pop_back();
      name += "…";
    }
    s += (s.empty() ? "" : ", ") + name;
  }
  if (names.size() > kMaxNames) s += ", … (" + std::to_string(names.size() - kMaxNames) + " more)";
  return s;
}

struct KeptColumn {
  size_t field_index;
  const ColumnSpec* spec;
};

// How the cells of one pass are read.
struct ParseSettings {
  parse::DecimalMark mark = parse::DecimalMark::Point;
  bool judge_decimal = false;      // collect DecimalVotes (the mark is not configured)
  const tz::Zone* zone = nullptr;  // for timestamps without an offset; null = UTC
};

// A cell that shows the decimal mark, for the decision and its messages.
struct DecimalExample {
  int64_t line = -1;
  std::string column, text;
};

// What a file's number cells say about its decimal mark (parse::DecimalEvidence), counted.
struct DecimalVotes {
  int64_t point = 0, comma = 0, ambiguous = 0;
  DecimalExample first_point, first_comma, first_ambiguous;
  static void note(int64_t& count, DecimalExample& example, int64_t line, const std::string& column,
                   std::string_view text) {
    if (count++ == 0) example = {line, column, std::string(text.substr(0, 40))};
  }
  void add(const DecimalVotes& o) {
    if (o.point && !point) first_point = o.first_point;
    if (o.comma && !comma) first_comma = o.first_comma;
    if (o.ambiguous && !ambiguous) first_ambiguous = o.first_ambiguous;
    point += o.point, comma += o.comma, ambiguous += o.ambiguous;
  }
};

// Counts (impressions, clicks) are whole numbers, so in them a lone "1.234" can only be
// grouped thousands (a decimal comma file) and "1,234" only a decimal point file.
bool is_count_column(const std::string& column) {
  return column == "impressions" || column == "clicks";
}

// The common cells decided without parsing twice: one mark between digits.
parse::DecimalEvidence quick_evidence(std::string_view cell) {
  const size_t sep = cell.find_first_of(".,");
  if (sep == std::string_view::npos) return parse::DecimalEvidence::None;
  size_t begin = cell[0] == '-' || cell[0] == '+' ? 1 : 0;
  auto digits = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i)
      if (cell[i] < '0' || cell[i] > '9') return false;
    return to > from;
  };
  if (!digits(begin, sep) || !digits(sep + 1, cell.size())) return parse::decimal_evidence(cell);
  const size_t before = sep - begin, after = cell.size() - sep - 1;
  const bool could_group = after == 3 && before <= 3 && cell[begin] != '0';
  if (could_group) return parse::DecimalEvidence::Ambiguous;
  return cell[sep] == '.' ? parse::DecimalEvidence::Point : parse::DecimalEvidence::Comma;
}

void vote_decimal(DecimalVotes& votes, std::string_view cell, const std::string& column,
                  int64_t line) {
  parse::DecimalEvidence e = quick_evidence(cell);
  if (e == parse::DecimalEvidence::Ambiguous && is_count_column(column))
    e = cell.find('.') != std::string_view::npos ? parse::DecimalEvidence::Comma
                                                 : parse::DecimalEvidence::Point;
  switch (e) {
    case parse::DecimalEvidence::Point:
      DecimalVotes::note(votes.point, votes.first_point, line, column, cell);
      break;
    case parse::DecimalEvidence::Comma:
      DecimalVotes::note(votes.comma, votes.first_comma, line, column, cell);
      break;
    case parse::DecimalEvidence::Ambiguous:
      DecimalVotes::note(votes.ambiguous, votes.first_ambiguous, line, column, cell);
      break;
    case parse::DecimalEvidence::None:
      break;
  }
}

// What one thread produces for its chunk; merged in chunk order afterwards.
struct ChunkOutput {
  std::vector<int64_t> lines;
  std::vector<std::vector<int32_t>> codes;  // per kept column (Id/Text), local codes
  std::vector<std::vector<double>> numbers;
  std::vector<std::vector<int32_t>> dates;
  std::vector<std::vector<int64_t>> times;
  std::vector<Dictionary> local_dicts;  // per kept column (Id/Text)
  std::vector<ColumnIssues> issues;     // per kept column
  DecimalVotes decimal_votes;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// ---- Bounds on text columns (docs/LIMITS.md) ------------------------------------------
// Names are copied into the table, predictions and leaderboards once per lead or entity, so
// a 1 M-character "name" multiplies into gigabytes downstream (16 such names drove train
// past 10 GB). Real names are short: other ad platforms cap them at 255-512 characters;
// Meta documents no limit we could find, so this one is generous.
constexpr size_t kMaxNameChars = 1000;
// The distinct values of one text column in one file: a breakdown's placements or geos
// hold kilobytes; 64 MiB is a cell-swallowing file, or the wrong column.
constexpr size_t kMaxDistinctTextBytes = size_t{64} << 20;

bool is_name_column(const std::string& column) { return column.ends_with("_name"); }

size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void check_name_length(std::string_view cell, const csv::Reader& reader, int64_t line,
                       const std::string& column) {
  if (cell.size() <= kMaxNameChars) return;  // bytes >= characters: most cells stop here
  const size_t chars = utf8_chars(cell);
  if (chars <= kMaxNameChars) return;
  throw Error("name is " + std::to_string(chars) + " characters long, above the limit of " +
                  std::to_string(kMaxNameChars) + "; is this the right column?",
              reader.name(), line, column);
}

[[noreturn]] void throw_too_much_text(const std::string& file, int64_t line,
                                      const std::string& column) {
  throw Error(
      "its distinct values hold more than 64 MiB of text, the limit per column and file "
      "(docs/LIMITS.md); is this the right column?",
      file, line, column);
}

void parse_chunk(const csv::Reader& reader, const csv::Chunk& chunk,
                 const std::vector<KeptColumn>& kept, const ParseSettings& settings,
                 ChunkOutput& out) {
  const size_t k = kept.size();
  out.codes.resize(k);
  out.numbers.resize(k);
  out.dates.resize(k);
  out.times.resize(k);
  out.local_dicts.resize(k);
  out.issues.resize(k);
  // Columns sized from the line length of the chunk's first 64 KB: growing them by
  // doubling copied each one about twice (memmove and page faults in perf; issue 5).
  const size_t rows = reader.estimate_records(chunk);
  out.lines.reserve(rows);
  for (size_t c = 0; c < k; ++c) {
    switch (kept[c].spec->type) {
      case ColType::Id:
      case ColType::Text:
        out.codes[c].reserve(rows);
        break;
      case ColType::Number:
        out.numbers[c].reserve(rows);
        break;
      case ColType::Date:
        out.dates[c].reserve(rows);
        break;
      case ColType::Timestamp:
        out.times[c].reserve(rows);
        break;
    }
  }
  std::string id_scratch;
  std::vector<size_t> distinct_text_bytes(k, 0);
  // Exports repeat values row after row (the date, the ad of a breakdown's rows): the last
  // cell of each column and what it parsed to are kept, so a repeat costs one comparison.
  // Measured (elv_bench_read): the typed load of ads_geo.csv went from ~165 to ~197 MB/s.
  std::vector<std::string> last_cell(k);
  std::vector<int64_t> last_value(k);
  std::vector<uint8_t> has_last(k, 0);
  auto repeat = [&](size_t c, std::string_view cell) {
    return has_last[c] && last_cell[c] == cell;
  };
  auto remember = [&](size_t c, std::string_view cell, int64_t value) {
    last_cell[c].assign(cell);
    last_value[c] = value;
    has_last[c] = 1;
  };
  reader.for_each(chunk, [&](int64_t line, const std::vector<std::string_view>& fields) {
    out.lines.push_back(line);
    for (size_t c = 0; c < k; ++c) {
      std::string_view cell = trim(fields[kept[c].field_index]);
      ColumnIssues& issue = out.issues[c];
      // A screened cell that looks like contact data is read as empty: its text goes nowhere.
      if (kept[c].spec->screen_contact && !cell.empty() &&
          (io::looks_like_email(cell) || io::looks_like_phone(cell))) {
        ++issue.contact_like;
        keep_example_line(issue.first_contact_like_lines, line);
        cell = {};
      }
      if (cell.empty()) ++issue.nulls;
      switch (kept[c].spec->type) {
        case ColType::Id: {
          issue.meta_prefixed += parse::has_meta_prefix(cell);
          if (!cell.empty() && repeat(c, cell)) {
            out.codes[c].push_back(static_cast<int32_t>(last_value[c]));
            break;
          }
          auto status = parse::normalize_id(cell, id_scratch);
          if (status == parse::IdStatus::Empty) {
            out.codes[c].push_back(kNullCode);
          } else {
            if (status == parse::IdStatus::Scientific) {
              ++issue.scientific;
              keep_example_line(issue.first_scientific_lines, line);
            }
            out.codes[c].push_back(out.local_dicts[c].intern(id_scratch));
            // Scientific IDs are counted per row, so they are never served from the cache.
            if (status == parse::IdStatus::Ok) remember(c, cell, out.codes[c].back());
          }
          break;
        }
        case ColType::Text: {
          if (cell.empty()) {
            out.codes[c].push_back(kNullCode);
            break;
          }
          const std::string& column = kept[c].spec->name;
          if (is_name_column(column)) check_name_length(cell, reader, line, column);
          Dictionary& dict = out.local_dicts[c];
          const size_t distinct = dict.size();
          out.codes[c].push_back(dict.intern(cell));
          if (dict.size() != distinct &&
              (distinct_text_bytes[c] += cell.size()) > kMaxDistinctTextBytes)
            throw_too_much_text(reader.name(), line, column);
          break;
        }
        case ColType::Number: {
          double v = std::nan("");
          if (parse::number(cell, v, settings.mark) != parse::NumberStatus::Ok) {
            if (!cell.empty()) {
              // A screened column's text may be a person's answer: never quoted.
              if (issue.invalid == 0 && !kept[c].spec->screen_contact)
                issue.first_invalid_text.assign(cell.substr(0, 40));
              ++issue.invalid;
              keep_example_line(issue.first_invalid_lines, line);
              issue.invalid_lines.push_back(line);
            }
            v = std::nan("");
          }
          if (settings.judge_decimal && !cell.empty())
            vote_decimal(out.decimal_votes, cell, kept[c].spec->name, line);
          out.numbers[c].push_back(v);
          break;
        }
        case ColType::Date: {
          if (!cell.empty() && repeat(c, cell)) {
            out.dates[c].push_back(static_cast<int32_t>(last_value[c]));
            break;
          }
          auto d = cell.empty() ? std::nullopt : parse::date_days(cell);
          if (d) remember(c, cell, *d);
          if (!d && !cell.empty()) {
            ++issue.invalid;
            keep_example_line(issue.first_invalid_lines, line);
            issue.invalid_lines.push_back(line);
          }
          out.dates[c].push_back(d ? *d : kNullDate);
          break;
        }
        case ColType::Timestamp: {
          bool had_offset = true;
          auto t = cell.empty() ? std::nullopt : parse::timestamp_seconds(cell, had_offset);
          if (t && !had_offset) {
            ++issue.without_offset;
            if (settings.zone) t = settings.zone->local_to_utc(*t);
          }
          if (!t && !cell.empty()) {
            ++issue.invalid;
            keep_example_line(issue.first_invalid_lines, line);
            issue.invalid_lines.push_back(line);
          }
          out.times[c].push_back(t ? *t : kNullTime);
          break;
        }
      }
    }
  });
}

// Bytes of the distinct strings a file puts in a shared dictionary, each counted once.
struct DistinctBytes {
  std::vector<uint8_t> seen;  // per shared code
  size_t bytes = 0;
  void count(const std::vector<int32_t>& codes, const Dictionary& shared) {
    seen.resize(shared.size(), 0);
    for (int32_t code : codes) {
      if (seen[code]) continue;
      seen[code] = 1;
      bytes += shared.str(code).size();
    }
  }
};

template <typename T>
void append(std::vector<T>& dst, const std::vector<T>& src) {
  dst.insert(dst.end(), src.begin(), src.end());
}

void merge_issues(ColumnIssues& dst, const ColumnIssues& src) {
  if (dst.invalid == 0) dst.first_invalid_text = src.first_invalid_text;
  dst.nulls += src.nulls;
  dst.invalid += src.invalid;
  dst.scientific += src.scientific;
  dst.without_offset += src.without_offset;
  dst.contact_like += src.contact_like;
  dst.meta_prefixed += src.meta_prefixed;
  for (auto l : src.first_contact_like_lines) keep_example_line(dst.first_contact_like_lines, l);
  append(dst.invalid_lines, src.invalid_lines);
  for (auto l : src.first_invalid_lines) keep_example_line(dst.first_invalid_lines, l);
  for (auto l : src.first_scientific_lines) keep_example_line(dst.first_scientific_lines, l);
}

// Without a "Day" (date) column, an Ads Manager export's "Reporting starts" is each row's
// date; contracts/checks.cpp then requires "Reporting ends" to be the same day.
void use_period_start_as_date(const FileSpec& spec, std::vector<KeptColumn>& kept, Frame& frame) {
  const ColumnSpec* date = spec.find("date");
  if (!date || frame.has("date")) return;
  for (auto& k : kept) {
    if (k.spec->name != "period_start") continue;
    k.spec = date;
    std::replace(frame.present_columns.begin(), frame.present_columns.end(),
                 std::string("period_start"), std::string("date"));
    if (auto it = frame.renamed.find("period_start"); it != frame.renamed.end()) {
      frame.renamed["date"] = it->second;
      frame.renamed.erase(it);
    }
    return;
  }
}

// The canonical column a header cell is read as: a configured header first; the alias table
// for the columns the config does not name.
std::string column_of(const FileSpec& spec, const std::string& cell,
                      const std::vector<HeaderOverride>& overrides) {
  const std::string key = lowercase_trimmed(cell);
  for (const auto& o : overrides)
    if (lowercase_trimmed(o.header) == key) return o.canonical;
  std::string canonical = canonical_column(spec, cell);
  for (const auto& o : overrides)
    if (o.canonical == canonical) return {};
  return canonical;
}

// Maps header cells to canonical columns; drops the rest (privacy) and rejects two
// cells that mean the same column. Cells are matched, names (labels) are recorded.
std::vector<KeptColumn> map_header(const FileSpec& spec, const std::vector<std::string>& cells,
                                   const std::vector<std::string>& names, const std::string& file,
                                   const std::vector<HeaderOverride>& overrides, Frame& frame) {
  std::vector<KeptColumn> kept;
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string canonical = column_of(spec, cells[i], overrides);
    if (canonical.empty()) {
      frame.dropped_columns.push_back(names[i]);
      continue;
    }
    for (const auto& k : kept) {
      if (k.spec->name == canonical) {
        throw Error("columns '" + names[k.field_index] + "' and '" + names[i] + "' both mean " +
                        canonical + "; keep one",
                    file, 1, names[i]);
      }
    }
    kept.push_back({i, spec.find(canonical)});
    frame.present_columns.push_back(canonical);
    if (canonical == "spend") {
      frame.currency = header_currency(cells[i]);
      if (!frame.currency.empty()) frame.currency_header = names[i];
    }
    // Case-only differences ("Impressions") are not worth a warning; real renames are.
    std::string lowered;
    for (char ch : names[i])
      lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    if (lowered != canonical) frame.renamed[canonical] = names[i];
  }
  use_period_start_as_date(spec, kept, frame);
  return kept;
}

// Parses every chunk, the first on this thread and the others on their own; rethrows the
// earliest chunk's error (the first bad line).
std::vector<ChunkOutput> parse_chunks(const csv::Reader& reader,
                                      const std::vector<csv::Chunk>& chunks,
                                      const std::vector<KeptColumn>& kept,
                                      const ParseSettings& settings) {
  std::vector<ChunkOutput> outputs(chunks.size());
  if (chunks.empty()) return outputs;
  run_workers(static_cast<int>(chunks.size()), [&](int i) {
    const auto c = static_cast<size_t>(i);
    parse_chunk(reader, chunks[c], kept, settings, outputs[c]);
  });
  return outputs;
}

std::string example_text(const DecimalExample& e) {
  return "'" + e.text + "' (line " + std::to_string(e.line) + ", column '" + e.column + "')";
}

// The file's decimal mark from its own evidence, never cell by cell: cells that read only
// one way decide; a file with both kinds cannot be read one consistent way. With nothing but
// ambiguous cells ("1,234"), a comma-separated file groups thousands with ',' (a decimal
// comma would need every number quoted); other files need csv.decimal.
char decide_decimal(const DecimalVotes& votes, char delimiter, const std::string& path) {
  if (votes.point > 0 && votes.comma > 0)
    throw Error("numbers are written two ways: " + example_text(votes.first_comma) +
                    " reads only with a decimal comma, " + example_text(votes.first_point) +
                    " only with a decimal point; re-export the file with one number format, or "
                    "set csv.decimal in the config",
                path, votes.first_point.line, votes.first_point.column);
  if (votes.comma > 0) return ',';
  if (votes.point > 0 || votes.ambiguous == 0 || delimiter == ',') return '.';
  throw Error("cannot tell the decimal mark: " + example_text(votes.first_ambiguous) +
                  " could be a whole number with a thousands separator or a decimal; set "
                  "csv.decimal to '.' or ',' for this file in the config",
              path, votes.first_ambiguous.line, votes.first_ambiguous.column);
}

}  // namespace

std::string dropped_columns_warning(const Frame& frame) {
  if (frame.dropped_columns.empty()) return {};
  std::string names;
  for (const auto& d : frame.dropped_columns) names += (names.empty() ? "" : ", ") + d;
  return std::string(kUnusedColumnsWarning) +
         " (a lead download can hold names, e-mails and phone numbers; elv never reads them): " +
         names +
         (frame.header_looks_like_data
              ? "; the first line looks like data: is the header line missing?"
              : "");
}

LoadResult load_file(const FileSpec& spec, const std::string& path, Dictionaries& dicts,
                     const LoadOptions& options) {
  csv::ReadOptions read_options;
  if (!options.csv.delimiter.empty()) read_options.delimiter = options.csv.delimiter.front();
  csv::Reader reader = csv::Reader::open(path, read_options);
  if (!reader.has_header()) throw Error("file is empty (no header line)", path);

  LoadResult result;
  Frame& frame = result.frame;
  frame.kind = spec.kind;
  frame.path = path;
  frame.size_mb = static_cast<double>(reader.size_bytes()) / 1e6;

  const std::vector<std::string> cells = header_cells(reader);
  const std::vector<std::string> names = header_names(spec, cells);
  frame.header_looks_like_data = io::header_looks_like_data(cells);
  std::vector<KeptColumn> kept =
      map_header(spec, cells, names, reader.name(), options.headers, frame);
  // A column the config names must be there, whatever else is missing.
  for (const auto& o : options.headers)
    if (!frame.has(o.canonical))
      throw Error(o.config_key + ": no column '" + o.header +
                      "' in this file (found: " + list_for_message(names) + ")",
                  path);
  for (const auto& col : spec.columns) {
    if (col.required && !frame.has(col.name)) result.missing_required.push_back(col.name);
  }
  if (!result.missing_required.empty() && frame.header_looks_like_data)
    result.missing_header = missing_header_message(spec, cells);
  if (!result.missing_required.empty() && options.throw_on_missing_required) {
    if (!result.missing_header.empty()) throw Error(result.missing_header, path);
    const std::string hint = reader.single_column_hint();
    throw Error("missing required column '" + result.missing_required.front() + "' (found: " +
                    list_for_message(names) + ")" + (hint.empty() ? "" : "; " + hint),
                path, -1, result.missing_required.front());
  }
  for (const auto& note : reader.header_notes()) {
    std::string storage;
    frame.warnings.emplace_back(as_utf8(note, storage));
  }
  for (const auto& [canonical, original] : frame.renamed)
    frame.warnings.push_back("renamed column '" + original + "' to " + canonical);
  if (!frame.dropped_columns.empty()) frame.warnings.push_back(dropped_columns_warning(frame));

  int threads = resolve_threads(options.threads);
  if (reader.size_bytes() < kParallelThresholdBytes) threads = 1;
  const std::vector<csv::Chunk> chunks = reader.chunks(threads);

  std::optional<tz::Zone> zone;
  if (!options.csv.timezone.empty()) {
    zone = tz::Zone::load(options.csv.timezone);
    if (!zone) throw Error("unknown time zone '" + options.csv.timezone + "' (csv.timezone)", path);
  }
  ParseSettings settings;
  settings.zone = zone ? &*zone : nullptr;
  settings.judge_decimal = options.csv.decimal.empty();
  if (options.csv.decimal == ",") settings.mark = parse::DecimalMark::Comma;
  std::vector<ChunkOutput> outputs = parse_chunks(reader, chunks, kept, settings);

  // The decimal mark: configured, else decided from every number cell of the file. The
  // first pass reads with a decimal point; a decimal-comma file is read again.
  frame.format.reading = reader.describe_format();
  frame.format.timezone = options.csv.timezone;
  frame.format.decimal_configured = !settings.judge_decimal;
  if (settings.judge_decimal) {
    DecimalVotes votes;
    for (const auto& out : outputs) votes.add(out.decimal_votes);
    if (decide_decimal(votes, reader.delimiter(), path) == ',') {
      settings.mark = parse::DecimalMark::Comma;
      settings.judge_decimal = false;
      outputs = parse_chunks(reader, chunks, kept, settings);
    }
  }
  frame.format.decimal = static_cast<char>(settings.mark);

  // Merge chunk outputs in order; local dictionary codes become shared codes.
  for (size_t c = 0; c < kept.size(); ++c) {
    const ColumnSpec& col = *kept[c].spec;
    ColumnIssues& issues = frame.issues[col.name];
    for (auto& out : outputs) merge_issues(issues, out.issues[c]);
    switch (col.type) {
      case ColType::Id:
      case ColType::Text: {
        Dictionary& shared = dicts.for_column(col.name);
        auto& dst = frame.codes[col.name];
        DistinctBytes file_text;
        for (size_t o = 0; o < outputs.size(); ++o) {
          auto& out = outputs[o];
          // A column's first chunk into a still empty dictionary (lead_id: 1 M unique IDs)
          // is taken over whole, its codes unchanged, instead of interned a second time.
          if (o == 0 && shared.size() == 0 && all_utf8(out.local_dicts[c])) {
            shared = std::move(out.local_dicts[c]);
            if (col.type == ColType::Text) {
              std::vector<int32_t> all(shared.size());
              for (size_t j = 0; j < all.size(); ++j) all[j] = static_cast<int32_t>(j);
              file_text.count(all, shared);
            }
            dst.insert(dst.end(), out.codes[c].begin(), out.codes[c].end());
            continue;
          }
          shared.reserve(shared.size() + out.local_dicts[c].size());
          std::vector<int32_t> remap(out.local_dicts[c].size());
          std::string storage;
          // Once per distinct string, not per cell: the encoding fix costs nothing measurable.
          for (size_t j = 0; j < remap.size(); ++j)
            remap[j] =
                shared.intern(as_utf8(out.local_dicts[c].str(static_cast<int32_t>(j)), storage));
          // Each chunk kept under the text bound; the file as a whole must too.
          if (col.type == ColType::Text) {
            file_text.count(remap, shared);
            if (file_text.bytes > kMaxDistinctTextBytes) throw_too_much_text(path, -1, col.name);
          }
          for (int32_t code : out.codes[c])
            dst.push_back(code == kNullCode ? kNullCode : remap[code]);
        }
        break;
      }
      case ColType::Number:
        for (auto& out : outputs) append(frame.numbers[col.name], out.numbers[c]);
        break;
      case ColType::Date:
        for (auto& out : outputs) append(frame.dates[col.name], out.dates[c]);
        break;
      case ColType::Timestamp:
        for (auto& out : outputs) append(frame.times[col.name], out.times[c]);
        break;
    }
  }
  for (auto& out : outputs) append(frame.lines, out.lines);
  frame.n_rows = static_cast<int64_t>(frame.lines.size());
  // Without a single ads row or lead there is nothing to build, train or score: stop here
  // with the file named rather than write an empty run. (validate, which does not throw,
  // reports the same as a finding of its own.)
  if (frame.n_rows == 0 && options.throw_on_missing_required &&
      (spec.kind == "ads" || spec.kind == "leads")) {
    throw Error("the file has a header but no data rows", path);
  }
  return result;
}

}  // namespace elv::contracts
