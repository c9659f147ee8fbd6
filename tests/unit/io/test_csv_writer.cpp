#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/error.h"
#include "io/csv_reader.h"
#include "io/csv_writer.h"

namespace elv::csv {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A unique path under the test temp dir, removed when the test ends.
struct TempPath {
  explicit TempPath(const std::string& stem) {
    static std::atomic<int> counter{0};
    path = testing::TempDir() + "elv_csv_writer_" + std::to_string(::getpid()) + "_" +
           std::to_string(counter++) + "_" + stem;
  }
  ~TempPath() { std::remove(path.c_str()); }
  std::string path;
};

std::string read_raw(const std::string& path) {
  std::string out;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    ADD_FAILURE() << "cannot open " << path;
    return out;
  }
  char buf[4096];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, got);
  std::fclose(f);
  return out;
}

std::string read_gzip(const std::string& path) {
  std::string out;
  gzFile gz = gzopen(path.c_str(), "rb");
  if (!gz) {
    ADD_FAILURE() << "cannot gzopen " << path;
    return out;
  }
  char buf[4096];
  int got;
  while ((got = gzread(gz, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(got));
  EXPECT_EQ(got, 0) << "gzread error";
  EXPECT_EQ(gzclose(gz), Z_OK);
  return out;
}

std::vector<std::vector<std::string>> read_back(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  Reader r = Reader::open(path);
  rows.push_back(r.header());
  r.for_each([&](int64_t, const std::vector<std::string_view>& fields) {
    rows.emplace_back(fields.begin(), fields.end());
  });
  return rows;
}

TEST(CsvWriter, PlainWriteAndReadBack) {
  TempPath out("plain.csv");
  Writer w(out.path);
  w.field("date").field("ad_id").field("clicks").field("spend").end_row();
  w.field("2026-01-01").field("120210000000000001").field(int64_t{42}).fixed(12.5, 2).end_row();
  w.field("2026-01-02").field("120210000000000002").field(7).fixed(0.0, 2).end_row();
  w.close();
  EXPECT_EQ(read_raw(out.path),
            "date,ad_id,clicks,spend\n"
            "2026-01-01,120210000000000001,42,12.50\n"
            "2026-01-02,120210000000000002,7,0.00\n");
  EXPECT_EQ(read_back(out.path), (std::vector<std::vector<std::string>>{
                                     {"date", "ad_id", "clicks", "spend"},
                                     {"2026-01-01", "120210000000000001", "42", "12.50"},
                                     {"2026-01-02", "120210000000000002", "7", "0.00"}}));
}

TEST(CsvWriter, QuotesCommaQuoteAndNewline) {
  TempPath out("quoted.csv");
  const std::vector<std::string> values = {"a,b", "say \"hi\"", "line1\nline2", "cr\rlf", "plain"};
  {
    Writer w(out.path);
    for (const auto& v : values) w.field(v);
    w.end_row();
    for (const auto& v : values) w.field(v);
    w.end_row();
    w.close();
  }
  const std::string line = "\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",\"cr\rlf\",plain\n";
  EXPECT_EQ(read_raw(out.path), line + line);
  auto rows = read_back(out.path);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], values);  // header
  EXPECT_EQ(rows[1], values);
}

TEST(CsvWriter, AppendQuoted) {
  std::string s;
  append_quoted(s, "x");
  s += ',';
  append_quoted(s, "");
  s += ',';
  append_quoted(s, "\"");
  s += ',';
  append_quoted(s, "a\r\n");
  EXPECT_EQ(s, "x,,\"\"\"\",\"a\r\n\"");
}

// Spreadsheet safety: a text cell a spreadsheet would run as a formula gets a leading '.
TEST(CsvWriter, FormulaTriggersGetALeadingQuote) {
  for (const char* s : {"=HYPERLINK(\"http://x\",\"click\")", "+cmd|' /C calc'!A0", "-2+3+cmd",
                        "@SUM(A1:A2)", "\tTab", "\rCR", "=1", "+", "-", "-1,2,3x"})
    EXPECT_TRUE(needs_formula_guard(s)) << s;
  std::string s;
  append_quoted(s, "=1+2");
  s += ',';
  append_quoted(s, "@x");
  s += ',';
  append_quoted(s, "\tx");
  s += ',';
  append_quoted(s, "-x");
  s += ',';
  append_quoted(s, "+x");
  EXPECT_EQ(s, "'=1+2,'@x,'\tx,'-x,'+x");
  // Quoted cells: the guard goes inside the quotes.
  s.clear();
  append_quoted(s, "=HYPERLINK(\"http://x\",\"click\")");
  EXPECT_EQ(s, "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"");
  s.clear();
  append_quoted(s, "\rline\n");
  EXPECT_EQ(s, "\"'\rline\n\"");
}

TEST(CsvWriter, NumbersAndSafeTextAreUnchanged) {
  for (const char* s : {"-5", "+5", "-1.5", "-1,234.5", "-1e3", "12", "Plain name",
                        "'=already guarded", "'-x", "a=b", " =1", "", "120210000000000001"})
    EXPECT_FALSE(needs_formula_guard(s)) << s;
  std::string s;
  append_quoted(s, "-5");
  s += ',';
  append_quoted(s, "'=x");
  EXPECT_EQ(s, "-5,'=x");
  // Number cells never pass through the guard.
  TempPath out("negative.csv");
  Writer w(out.path);
  w.field(-2.5).fixed(-10.0, 2).field(int64_t{-3}).field("-4").field("=1").end_row();
  w.close();
  EXPECT_EQ(read_raw(out.path), "-2.5,-10.00,-3,-4,'=1\n");
}

TEST(CsvWriter, ReadersTakeTheGuardOffAgain) {
  for (const char* s :
       {"=HYPERLINK(\"http://x\",\"click\")", "-x", "+x", "@x", "\tx", "-5", "plain", "'quoted"}) {
    std::string cell;
    append_quoted(cell, s);
    Reader r = Reader::from_string("h\n" + cell + "\n");
    r.for_each([&](int64_t, const std::vector<std::string_view>& fields) {
      EXPECT_EQ(without_formula_guard(fields[0]), s) << cell;
    });
  }
  EXPECT_EQ(without_formula_guard("'"), "'");
  EXPECT_EQ(without_formula_guard("'abc"), "'abc");
}

TEST(CsvWriter, NanIsEmpty) {
  TempPath out("nan.csv");
  Writer w(out.path);
  w.field("x").field(kNaN).fixed(kNaN, 2).end_row();
  w.field(1.5).field(-kNaN).fixed(2.0, 1).end_row();
  w.close();
  EXPECT_EQ(read_raw(out.path), "x,,\n1.5,,2.0\n");
}

TEST(CsvWriter, FixedAndShortestDecimals) {
  TempPath out("decimals.csv");
  Writer w(out.path);
  // 1.005 and 2.675 are stored just below the half, so correct rounding goes down.
  w.fixed(1.005, 2).fixed(2.675, 2).fixed(1234.5678, 2).fixed(3.0, 0).fixed(0.1 + 0.2, 2).end_row();
  w.field(0.1).field(1.0 / 3).field(100.0).field(-2.5).field(int64_t{-9007199254740993}).end_row();
  w.close();
  EXPECT_EQ(read_raw(out.path),
            "1.00,2.67,1234.57,3,0.30\n"
            "0.1,0.3333333333333333,100,-2.5,-9007199254740993\n");
}

TEST(CsvWriter, GzipOutputDecompressesToText) {
  TempPath out("out.csv.gz");
  std::string expected = "id,name\n";
  {
    Writer w(out.path, /*gzip=*/true);
    w.field("id").field("name").end_row();
    // More than the 1 MiB buffer, so several flushes go through gzwrite.
    for (int i = 0; i < 60000; ++i) {
      w.field(int64_t{i}).field("name, " + std::to_string(i)).end_row();
      expected += std::to_string(i) + ",\"name, " + std::to_string(i) + "\"\n";
    }
    w.close();
  }
  const std::string raw = read_raw(out.path);
  ASSERT_GE(raw.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(raw[0]), 0x1F);  // really gzip, not plain text
  EXPECT_EQ(static_cast<unsigned char>(raw[1]), 0x8B);
  EXPECT_LT(raw.size(), expected.size() / 2);
  EXPECT_EQ(read_gzip(out.path), expected);
}

TEST(CsvWriter, LargePlainOutputIsComplete) {
  TempPath out("large.csv");
  std::string expected;
  {
    Writer w(out.path);
    for (int i = 0; i < 100000; ++i) {
      w.field(int64_t{i}).fixed(i * 0.5, 1).end_row();
      expected += std::to_string(i) + "," + std::to_string(i / 2) + (i % 2 ? ".5" : ".0") + "\n";
    }
    w.close();
  }
  EXPECT_EQ(read_raw(out.path), expected);
}

TEST(CsvWriter, DestructorFlushes) {
  TempPath out("dtor.csv");
  { Writer(out.path).field("a").field(int64_t{1}).end_row(); }
  EXPECT_EQ(read_raw(out.path), "a,1\n");
}

TEST(CsvWriter, CloseTwiceIsHarmless) {
  TempPath out("twice.csv");
  Writer w(out.path);
  w.field("a").end_row();
  w.close();
  EXPECT_NO_THROW(w.close());
  EXPECT_EQ(read_raw(out.path), "a\n");
}

TEST(CsvWriter, MissingDirectoryThrows) {
  const std::string path =
      testing::TempDir() + "elv_no_such_dir_" + std::to_string(::getpid()) + "/out.csv";
  EXPECT_THROW(Writer w(path), Error);
  EXPECT_THROW(Writer w(path + ".gz", true), Error);
  try {
    Writer w(path);
  } catch (const Error& e) {
    EXPECT_EQ(e.file(), path);
  }
}

}  // namespace
}  // namespace elv::csv
