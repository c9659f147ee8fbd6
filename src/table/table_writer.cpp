#include "table/table_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>
#include <thread>

#include "base/parallel.h"
#include "io/csv_writer.h"
#include "io/gzip_members.h"
#include "io/parse.h"

namespace elv::table {

namespace {

constexpr int64_t kRowsPerBlock = 8192;  // ~5 MB of text: compresses well, bounded memory
constexpr int kFeatureDigits = 12;
// ISA-L's level 1, as with libdeflate before it. Level 2 wrote a 2.5 % smaller table in the
// same 0.10-0.11 s at 120,000 leads (bench/RESULTS.md, "Against the reference").
constexpr int kGzipLevel = 1;
constexpr int64_t kTileRows = 256;  // 256 rows x ~100 features x 8 B: fits in L2
constexpr size_t kNumberRoom = 32;  // the longest number to_chars writes here is 24 characters
// Room for one number's text: 12 significant digits at most take 19 characters
// ("-1.23456789012e-308"), a whole number below 1e15 takes 16.
constexpr size_t kNumberTextRoom = 23;

// The text of the numbers a column wrote last, by value: a feature computed per ad or ad set
// (most of the table's decimals) repeats a few thousand values over the leads, and writing
// one to 12 digits (std::to_chars) was most of formatting the table (issue 19). Direct-mapped:
// a value takes the slot its bits hash to.
class NumberTexts {
 public:
  explicit NumberTexts(size_t columns) : slots_(columns * kSlots) {}

  // Writes v (finite, not a small whole number) at p through `format`; returns the end.
  template <class Format>
  char* write(char* p, size_t column, double v, Format&& format) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    Slot& slot = slots_[column * kSlots + ((bits * 0x9E3779B97F4A7C15ull) >> (64 - kSlotBits))];
    if (slot.size == 0 || slot.bits != bits) {
      slot.bits = bits;
      slot.size = static_cast<uint8_t>(format(slot.text) - slot.text);
    }
    std::memcpy(p, slot.text, sizeof slot.text);  // whole: a fixed-size copy is the fast one
    return p + slot.size;
  }

 private:
  static constexpr int kSlotBits = 9;
  static constexpr size_t kSlots = size_t{1} << kSlotBits;
  struct Slot {
    uint64_t bits = 0;
    char text[kNumberTextRoom];
    uint8_t size = 0;  // 0: empty (every text has a character)
  };
  std::vector<Slot> slots_;
};

// Dictionaries looked up once, not per cell.
struct RowFormatter {
  const LeadTable& t;
  const contracts::Dictionary* lead;
  const contracts::Dictionary* keys[6];  // campaign, campaign name, adset, adset name, ad, ad name
  const std::vector<int32_t>* key_codes[6];
  std::vector<const contracts::Dictionary*> text_dicts;

  explicit RowFormatter(const LeadTable& table) : t(table) {
    const auto& d = *t.dicts;
    lead = &d.for_column("lead_id");
    const char* names[6] = {"campaign_id", "campaign_name", "adset_id",
                            "adset_name",  "ad_id",         "ad_name"};
    const std::vector<int32_t>* codes[6] = {&t.campaign_id, &t.campaign_name, &t.adset_id,
                                            &t.adset_name,  &t.ad_id,         &t.ad_name};
    for (int k = 0; k < 6; ++k) {
      keys[k] = &d.for_column(names[k]);
      key_codes[k] = codes[k];
    }
    for (const auto& name : t.text_dictionaries) text_dicts.push_back(&d.for_column(name));
    // Everything but the text cells: timestamp and dates, small ints, the label columns
    // and one number per feature, each with its comma.
    fixed_room = 128 + (kNumberRoom + 1) * (t.features.size() + t.texts.size());
  }
  size_t fixed_room = 0;

  // Room a text cell may take once guarded and quoted.
  static size_t text_room(const contracts::Dictionary* dict, int32_t code) {
    return code == contracts::kNullCode ? 0 : csv::text_cell_room(dict->str(code).size());
  }
  // Names are the advertiser's text: formula-guarded like every CSV text cell.
  static char* text(char* p, const contracts::Dictionary* dict, int32_t code) {
    return code == contracts::kNullCode ? p : csv::write_text_cell(p, dict->str(code));
  }
  // 12 significant digits: exact for counts and money, far finer than any ratio needs, and
  // the dropped noise digits were most of the bytes to compress. Same text as
  // csv::append_double_digits (a unit test holds them together).
  static char* number(char* p, double v, size_t column, NumberTexts& texts) {
    if (std::isnan(v)) return p;
    if (v >= 0.0 && v <= 9.0 && v == static_cast<double>(static_cast<int>(v))) {
      *p++ = static_cast<char>('0' + static_cast<int>(v));
      return p;
    }
    return texts.write(p, column, v, [v](char* text) {
      if (std::abs(v) < 1e15 && v == static_cast<double>(static_cast<int64_t>(v)))
        return std::to_chars(text, text + kNumberTextRoom, static_cast<int64_t>(v)).ptr;
      return std::to_chars(text, text + kNumberTextRoom, v, std::chars_format::general,
                           kFeatureDigits)
          .ptr;
    });
  }

  void header(std::string& out) const {
    out +=
        "lead_id,created_time,lead_date,campaign_id,campaign_name,adset_id,adset_name,ad_id,"
        "ad_name,lead_dow,lead_hour,feature_end_date,label_status,label,is_mature";
    // lead_hour and lead_dow are already among the leading columns.
    for (size_t f = 2; f < t.feature_names.size(); ++f) {
      out.push_back(',');
      csv::append_quoted(out, t.feature_names[f]);
    }
    for (const auto& name : t.text_names) {
      out.push_back(',');
      csv::append_quoted(out, name);
    }
    out.push_back('\n');
  }

  // Formats row i at p, which has room() bytes; returns the end.
  size_t room(int64_t i) const {
    size_t n = fixed_room + text_room(lead, t.lead_id[i]);
    for (int k = 0; k < 6; ++k) n += text_room(keys[k], (*key_codes[k])[i]);
    for (size_t k = 0; k < t.texts.size(); ++k) n += text_room(text_dicts[k], t.texts[k][i]);
    return n;
  }

  // features_row: this row's features, row-major (see write_table_csv's tiles).
  char* row(char* p, int64_t i, const double* features_row, NumberTexts& texts) const {
    p = text(p, lead, t.lead_id[i]);
    *p++ = ',';
    p = parse::write_timestamp(p, t.created_time[i]);
    *p++ = ',';
    p = parse::write_date(p, t.lead_date[i]);
    for (int k = 0; k < 6; ++k) {
      *p++ = ',';
      p = text(p, keys[k], (*key_codes[k])[i]);
    }
    *p++ = ',';
    p = std::to_chars(p, p + kNumberRoom, static_cast<int>(t.lead_dow[i])).ptr;
    *p++ = ',';
    p = std::to_chars(p, p + kNumberRoom, static_cast<int>(t.lead_hour[i])).ptr;
    *p++ = ',';
    p = parse::write_date(p, t.feature_end_date[i]);
    *p++ = ',';
    const std::string_view status = label_status_name(t.label_status[i]);
    p = std::copy(status.begin(), status.end(), p);
    *p++ = ',';
    if (t.label_status[i] == LabelStatus::Positive)
      *p++ = '1';
    else if (t.label_status[i] == LabelStatus::Negative)
      *p++ = '0';
    *p++ = ',';
    *p++ = t.is_mature[i] ? '1' : '0';
    for (size_t f = 2; f < t.features.size(); ++f) {
      *p++ = ',';
      p = number(p, features_row[f], f, texts);
    }
    for (size_t k = 0; k < t.texts.size(); ++k) {
      *p++ = ',';
      p = text(p, text_dicts[k], t.texts[k][i]);
    }
    *p++ = '\n';
    return p;
  }
};

}  // namespace

void write_table_csv(const LeadTable& t, const std::string& path, int threads,
                     const std::function<void(double)>& on_progress) {
  const RowFormatter formatter(t);
  const int64_t n_blocks = std::max<int64_t>(1, (t.n + kRowsPerBlock - 1) / kRowsPerBlock);
  threads = resolve_threads(threads);
  io::write_gzip_blocks(
      path, static_cast<size_t>(n_blocks),
      [&](size_t block, std::string& out) {
        if (block == 0) formatter.header(out);
        const int64_t begin = static_cast<int64_t>(block) * kRowsPerBlock;
        const int64_t end = std::min(t.n, begin + kRowsPerBlock);
        // Rows are written by pointer into room made ahead (amortised doubling) and the
        // text trimmed once: append/push_back per cell was a third of this stage (perf).
        // Features are stored by column; a row reads one value from each of ~100 columns,
        // which the prefetcher cannot follow (the load was the hottest instruction). Tiles
        // of rows are copied to row-major order first, reading each column sequentially.
        const size_t n_features = t.features.size();
        std::vector<double> tile(static_cast<size_t>(kTileRows) * n_features);
        NumberTexts texts(n_features);
        size_t used = out.size();
        for (int64_t tile_begin = begin; tile_begin < end; tile_begin += kTileRows) {
          const int64_t tile_end = std::min(end, tile_begin + kTileRows);
          for (size_t f = 0; f < n_features; ++f) {
            t.features[f].visit([&](const auto* column) {
              for (int64_t i = tile_begin; i < tile_end; ++i)
                tile[static_cast<size_t>(i - tile_begin) * n_features + f] = column[i];
            });
          }
          for (int64_t i = tile_begin; i < tile_end; ++i) {
            const size_t room = formatter.room(i);
            if (used + room > out.size())
              out.resize(std::max(2 * out.size(), used + room + (1 << 16)));
            const double* features_row =
                tile.data() + static_cast<size_t>(i - tile_begin) * n_features;
            used = static_cast<size_t>(formatter.row(out.data() + used, i, features_row, texts) -
                                       out.data());
          }
        }
        out.resize(used);
      },
      threads, kGzipLevel, on_progress);
}

}  // namespace elv::table
