#include "contracts/loader.h"

#include <cctype>
#include <cmath>
#include <thread>

#include "io/csv_reader.h"
#include "io/error.h"
#include "io/parse.h"

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

int default_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

// ---- Loading --------------------------------------------------------------------------

namespace {

constexpr size_t kParallelThresholdBytes = 4u << 20;  // below this, one thread is faster

struct KeptColumn {
  size_t field_index;
  const ColumnSpec* spec;
};

// What one thread produces for its chunk; merged in chunk order afterwards.
struct ChunkOutput {
  std::vector<int64_t> lines;
  std::vector<std::vector<int32_t>> codes;  // per kept column (Id/Text), local codes
  std::vector<std::vector<double>> numbers;
  std::vector<std::vector<int32_t>> dates;
  std::vector<std::vector<int64_t>> times;
  std::vector<Dictionary> local_dicts;  // per kept column (Id/Text)
  std::vector<ColumnIssues> issues;     // per kept column
};

void note_line(std::vector<int64_t>& lines, int64_t line) {
  if (lines.size() < ColumnIssues::kMaxExampleLines) lines.push_back(line);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

void parse_chunk(const csv::Reader& reader, const csv::Chunk& chunk,
                 const std::vector<KeptColumn>& kept, ChunkOutput& out) {
  const size_t k = kept.size();
  out.codes.resize(k);
  out.numbers.resize(k);
  out.dates.resize(k);
  out.times.resize(k);
  out.local_dicts.resize(k);
  out.issues.resize(k);
  std::string id_scratch;
  reader.for_each(chunk, [&](int64_t line, const std::vector<std::string_view>& fields) {
    out.lines.push_back(line);
    for (size_t c = 0; c < k; ++c) {
      const std::string_view cell = trim(fields[kept[c].field_index]);
      ColumnIssues& issue = out.issues[c];
      if (cell.empty()) ++issue.nulls;
      switch (kept[c].spec->type) {
        case ColType::Id: {
          auto status = parse::normalize_id(cell, id_scratch);
          if (status == parse::IdStatus::Empty) {
            out.codes[c].push_back(kNullCode);
          } else {
            if (status == parse::IdStatus::Scientific) {
              ++issue.scientific;
              note_line(issue.first_scientific_lines, line);
            }
            out.codes[c].push_back(out.local_dicts[c].intern(id_scratch));
          }
          break;
        }
        case ColType::Text:
          out.codes[c].push_back(cell.empty() ? kNullCode : out.local_dicts[c].intern(cell));
          break;
        case ColType::Number: {
          double v = std::nan("");
          if (parse::number(cell, v) != parse::NumberStatus::Ok) {
            if (!cell.empty()) {
              ++issue.invalid;
              note_line(issue.first_invalid_lines, line);
            }
            v = std::nan("");
          }
          out.numbers[c].push_back(v);
          break;
        }
        case ColType::Date: {
          auto d = cell.empty() ? std::nullopt : parse::date_days(cell);
          if (!d && !cell.empty()) {
            ++issue.invalid;
            note_line(issue.first_invalid_lines, line);
          }
          out.dates[c].push_back(d ? *d : kNullDate);
          break;
        }
        case ColType::Timestamp: {
          auto t = cell.empty() ? std::nullopt : parse::timestamp_seconds(cell);
          if (!t && !cell.empty()) {
            ++issue.invalid;
            note_line(issue.first_invalid_lines, line);
          }
          out.times[c].push_back(t ? *t : kNullTime);
          break;
        }
      }
    }
  });
}

template <typename T>
void append(std::vector<T>& dst, const std::vector<T>& src) {
  dst.insert(dst.end(), src.begin(), src.end());
}

void merge_issues(ColumnIssues& dst, const ColumnIssues& src) {
  dst.nulls += src.nulls;
  dst.invalid += src.invalid;
  dst.scientific += src.scientific;
  for (auto l : src.first_invalid_lines) note_line(dst.first_invalid_lines, l);
  for (auto l : src.first_scientific_lines) note_line(dst.first_scientific_lines, l);
}

// Maps header cells to canonical columns; drops the rest (privacy) and rejects two
// cells that mean the same column.
std::vector<KeptColumn> map_header(const FileSpec& spec, const csv::Reader& reader, Frame& frame) {
  std::vector<KeptColumn> kept;
  const auto& header = reader.header();
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string canonical = canonical_column(spec, header[i]);
    if (canonical.empty()) {
      frame.dropped_columns.push_back(header[i]);
      continue;
    }
    for (const auto& k : kept) {
      if (k.spec->name == canonical) {
        throw Error("columns '" + header[k.field_index] + "' and '" + header[i] +
                        "' both mean " + canonical + "; keep one",
                    reader.name(), 1, header[i]);
      }
    }
    kept.push_back({i, spec.find(canonical)});
    frame.present_columns.push_back(canonical);
    // Case-only differences ("Impressions") are not worth a warning; real renames are.
    std::string lowered;
    for (char ch : header[i]) lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    if (lowered != canonical) frame.renamed[canonical] = header[i];
  }
  return kept;
}

}  // namespace

LoadResult load_file(const FileSpec& spec, const std::string& path, Dictionaries& dicts,
                     const LoadOptions& options) {
  csv::Reader reader = csv::Reader::open(path);
  if (!reader.has_header()) throw Error("file is empty (no header line)", path);

  LoadResult result;
  Frame& frame = result.frame;
  frame.kind = spec.kind;
  frame.path = path;
  frame.size_mb = static_cast<double>(reader.size_bytes()) / 1e6;

  std::vector<KeptColumn> kept = map_header(spec, reader, frame);
  for (const auto& col : spec.columns) {
    if (col.required && !frame.has(col.name)) result.missing_required.push_back(col.name);
  }
  if (!result.missing_required.empty() && options.throw_on_missing_required) {
    throw Error("missing required column '" + result.missing_required.front() +
                    "' (found: " + [&] {
                      std::string s;
                      for (const auto& h : reader.header()) s += (s.empty() ? "" : ", ") + h;
                      return s;
                    }() + ")",
                path, -1, result.missing_required.front());
  }
  for (const auto& [canonical, original] : frame.renamed)
    frame.warnings.push_back("renamed column '" + original + "' to " + canonical);
  if (!frame.dropped_columns.empty()) {
    std::string names;
    for (const auto& d : frame.dropped_columns) names += (names.empty() ? "" : ", ") + d;
    frame.warnings.push_back("dropped columns outside the data contract (privacy): " + names);
  }

  int threads = options.threads > 0 ? options.threads : default_threads();
  if (reader.size_bytes() < kParallelThresholdBytes) threads = 1;
  const std::vector<csv::Chunk> chunks = reader.chunks(threads);
  std::vector<ChunkOutput> outputs(chunks.size());
  std::vector<std::exception_ptr> errors(chunks.size());
  {
    std::vector<std::thread> workers;
    for (size_t i = 1; i < chunks.size(); ++i) {
      workers.emplace_back([&, i] {
        try {
          parse_chunk(reader, chunks[i], kept, outputs[i]);
        } catch (...) {
          errors[i] = std::current_exception();
        }
      });
    }
    if (!chunks.empty()) {
      try {
        parse_chunk(reader, chunks[0], kept, outputs[0]);
      } catch (...) {
        errors[0] = std::current_exception();
      }
    }
    for (auto& w : workers) w.join();
  }
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);  // the earliest chunk's error: the first bad line

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
        for (auto& out : outputs) {
          std::vector<int32_t> remap(out.local_dicts[c].size());
          for (size_t j = 0; j < remap.size(); ++j)
            remap[j] = shared.intern(out.local_dicts[c].str(static_cast<int32_t>(j)));
          for (int32_t code : out.codes[c]) dst.push_back(code == kNullCode ? kNullCode : remap[code]);
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
  return result;
}

}  // namespace elv::contracts
