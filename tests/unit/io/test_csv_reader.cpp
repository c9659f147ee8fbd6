#include "io/csv_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "io/error.h"

namespace elv::csv {
namespace {

struct Row {
  int64_t line;
  std::vector<std::string> fields;
  bool operator==(const Row&) const = default;
};

// Shown by gtest when a comparison fails.
[[maybe_unused]] void PrintTo(const Row& r, std::ostream* os) {
  *os << "line " << r.line << ":";
  for (const auto& f : r.fields) *os << " [" << f << "]";
}

RowFn collector(std::vector<Row>& out) {
  return [&out](int64_t line, const std::vector<std::string_view>& fields) {
    out.push_back({line, std::vector<std::string>(fields.begin(), fields.end())});
  };
}

std::vector<Row> rows_of(const Reader& r) {
  std::vector<Row> out;
  r.for_each(collector(out));
  return out;
}

std::vector<Row> rows_of(const std::string& text) { return rows_of(Reader::from_string(text)); }

using Fields = std::vector<std::string>;

std::string temp_path(const std::string& stem) {
  static std::atomic<int> counter{0};
  return testing::TempDir() + "elv_csv_reader_" + std::to_string(::getpid()) + "_" +
         std::to_string(counter++) + "_" + stem;
}

// A file removed when the test ends, pass or fail.
struct TempFile {
  explicit TempFile(const std::string& bytes, const std::string& stem = "in.csv")
      : path(temp_path(stem)) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    EXPECT_NE(f, nullptr) << path;
    if (!f) return;
    EXPECT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
    std::fclose(f);
  }
  ~TempFile() { std::remove(path.c_str()); }
  std::string path;
};

std::string utf16_bytes(std::u16string_view s, bool little_endian) {
  std::string out = little_endian ? "\xFF\xFE" : "\xFE\xFF";
  for (char16_t c : s) {
    const char lo = static_cast<char>(c & 0xFF), hi = static_cast<char>(c >> 8);
    out.push_back(little_endian ? lo : hi);
    out.push_back(little_endian ? hi : lo);
  }
  return out;
}

// "Café ☕ 😀" in UTF-8: 2-, 3- and 4-byte sequences (the emoji is a surrogate pair in UTF-16).
const std::string kCafe = "Caf\xC3\xA9 \xE2\x98\x95 \xF0\x9F\x98\x80";

template <typename F>
Error error_from(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no elv::Error thrown";
  return Error("none");
}

// ---------------------------------------------------------------------------------------
// Tokenising

TEST(CsvReader, PlainRecordsAndLineNumbers) {
  Reader r = Reader::from_string("date,ad_id,clicks\n2026-01-01,123,4\n2026-01-02,456,5\n", "x.csv");
  EXPECT_EQ(r.name(), "x.csv");
  EXPECT_EQ(r.delimiter(), ',');
  EXPECT_FALSE(r.was_utf16());
  ASSERT_TRUE(r.has_header());
  EXPECT_EQ(r.header(), (Fields{"date", "ad_id", "clicks"}));
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {"2026-01-01", "123", "4"}},
                                          {3, {"2026-01-02", "456", "5"}}}));
}

TEST(CsvReader, QuotedCommas) {
  EXPECT_EQ(rows_of("a,b,c\n1,\"x,y\",3\n\"p,q,r\",,\"\"\n"),
            (std::vector<Row>{{2, {"1", "x,y", "3"}}, {3, {"p,q,r", "", ""}}}));
}

TEST(CsvReader, DoubledQuotes) {
  EXPECT_EQ(rows_of("a,b\n\"say \"\"hi\"\"\",2\n\"\"\"\",\"\"\"\"\"\"\n"),
            (std::vector<Row>{{2, {"say \"hi\"", "2"}}, {3, {"\"", "\"\""}}}));
}

TEST(CsvReader, ManyEscapedFieldsInOneRecordStayValid) {
  // Several long escaped fields in one record: the scratch buffer grows while the record is
  // parsed, and every view must still be right when the callback runs.
  std::string header, line;
  Fields expected;
  for (int i = 0; i < 12; ++i) {
    header += (i ? "," : "") + std::string("c") + std::to_string(i);
    std::string value = std::string(50 * (i + 1), char('a' + i)) + "\"q\"";
    expected.push_back(value);
    line += (i ? "," : "") + std::string("\"") + std::string(50 * (i + 1), char('a' + i)) +
            "\"\"q\"\"\"";
  }
  auto rows = rows_of(header + "\n" + line + "\n" + line + "\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, expected);
  EXPECT_EQ(rows[1].fields, expected);
}

TEST(CsvReader, NewlinesInsideQuotesAndNextRowNumber) {
  auto rows = rows_of("id,text,n\n1,\"line1\nline2\nline3\",5\n2,plain,6\n3,\"a\r\nb\",7\n4,x,8\n");
  EXPECT_EQ(rows, (std::vector<Row>{{2, {"1", "line1\nline2\nline3", "5"}},
                                    {5, {"2", "plain", "6"}},
                                    {6, {"3", "a\r\nb", "7"}},
                                    {8, {"4", "x", "8"}}}));
}

TEST(CsvReader, Crlf) {
  Reader r = Reader::from_string("a,b\r\n1,2\r\n\"x\",\"y\"\r\n3,\r\n");
  EXPECT_EQ(r.header(), (Fields{"a", "b"}));
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {"1", "2"}}, {3, {"x", "y"}}, {4, {"3", ""}}}));
}

TEST(CsvReader, LoneCrInsideAFieldIsKept) {
  EXPECT_EQ(rows_of("a,b\nx\ry,2\n"), (std::vector<Row>{{2, {"x\ry", "2"}}}));
}

TEST(CsvReader, StrayQuoteInUnquotedFieldIsLiteral) {
  EXPECT_EQ(rows_of("size,n\n5\" screen,1\nab\"c\"d,2\n\"ab\"cd,3\n"),
            (std::vector<Row>{{2, {"5\" screen", "1"}}, {3, {"ab\"c\"d", "2"}}, {4, {"abcd", "3"}}}));
}

TEST(CsvReader, FieldsAreNotTrimmedButHeaderIs) {
  Reader r = Reader::from_string(" date , spend\t,\" id \"\n 1 ,\" 2 \",3\n");
  EXPECT_EQ(r.header(), (Fields{"date", "spend", "id"}));
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {" 1 ", " 2 ", "3"}}}));
}

TEST(CsvReader, StrayBomInHeaderNameIsTrimmed) {
  Reader r = Reader::from_string("\"\xEF\xBB\xBF" "date\",b, \xEF\xBB\xBF" "c\n1,2,3\n");
  EXPECT_EQ(r.header(), (Fields{"date", "b", "c"}));
}

TEST(CsvReader, NoTrailingNewline) {
  EXPECT_EQ(rows_of("a,b\n1,2\n3,4"), (std::vector<Row>{{2, {"1", "2"}}, {3, {"3", "4"}}}));
  EXPECT_EQ(rows_of("a,b\n1,\"x\""), (std::vector<Row>{{2, {"1", "x"}}}));
  EXPECT_EQ(rows_of("a,b\n1,2\r"), (std::vector<Row>{{2, {"1", "2"}}}));
  EXPECT_EQ(rows_of("a,b\n1,"), (std::vector<Row>{{2, {"1", ""}}}));
}

TEST(CsvReader, BlankLinesAreSkipped) {
  EXPECT_EQ(rows_of("a,b\n\n1,2\r\n\r\n\n3,4\n\"\"\n5,6\n\n"),
            (std::vector<Row>{{3, {"1", "2"}}, {6, {"3", "4"}}, {8, {"5", "6"}}}));
}

TEST(CsvReader, BlankLinesBeforeHeaderShiftLineNumbers) {
  Reader r = Reader::from_string("\n\r\na,b\n1,2\n");
  EXPECT_EQ(r.header(), (Fields{"a", "b"}));
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{4, {"1", "2"}}}));
}

TEST(CsvReader, SingleColumnKeepsQuotedEmptyValue) {
  // With one column, `""` is an empty value, not a blank line; a truly empty line is blank.
  EXPECT_EQ(rows_of("id\n1\n\"\"\n\n2\n"),
            (std::vector<Row>{{2, {"1"}}, {3, {""}}, {5, {"2"}}}));
}

TEST(CsvReader, InvalidUtf8IsPassedThrough) {
  EXPECT_EQ(rows_of("a,b\n\xC3\x28,\xFF\xFE\n"), (std::vector<Row>{{2, {"\xC3\x28", "\xFF\xFE"}}}));
}

// ---------------------------------------------------------------------------------------
// Header and shape

TEST(CsvReader, EmptyFile) {
  for (const std::string text : {"", "\n", "\n\r\n\n", "\r"}) {
    Reader r = Reader::from_string(text);
    EXPECT_FALSE(r.has_header()) << text.size();
    EXPECT_TRUE(r.header().empty());
    int calls = 0;
    r.for_each([&](int64_t, const std::vector<std::string_view>&) { ++calls; });
    EXPECT_EQ(calls, 0);
    auto chunks = r.chunks(4);
    ASSERT_EQ(chunks.size(), 1u);
    r.for_each(chunks[0], [&](int64_t, const std::vector<std::string_view>&) { ++calls; });
    EXPECT_EQ(calls, 0);
  }
}

TEST(CsvReader, HeaderOnly) {
  for (const std::string text : {"a,b\n", "a,b", "a,b\r\n\r\n"}) {
    Reader r = Reader::from_string(text);
    EXPECT_TRUE(r.has_header());
    EXPECT_EQ(r.header(), (Fields{"a", "b"}));
    EXPECT_TRUE(rows_of(r).empty());
  }
}

TEST(CsvReader, RaggedRowNamesLine) {
  Error e = error_from([] { rows_of(Reader::from_string("a,b,c\n1,2,3\n4,5\n", "ads.csv")); });
  EXPECT_EQ(e.row(), 3);
  EXPECT_EQ(e.file(), "ads.csv");
  EXPECT_NE(e.message().find("expected 3 fields, found 2"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("ads.csv:3"), std::string::npos) << e.what();
}

TEST(CsvReader, RaggedRowAfterQuotedNewlinesNamesPhysicalLine) {
  Error e = error_from([] { rows_of(Reader::from_string("a,b,c\n1,\"x\ny\nz\",3\n\n4,5,6,7\n")); });
  EXPECT_EQ(e.row(), 6);
  EXPECT_EQ(e.message(), "expected 3 fields, found 4");
}

TEST(CsvReader, TabDetection) {
  Reader tsv = Reader::from_string("date\tad name\tspend\n2026-01-01\tA, B\t1,5\n");
  EXPECT_EQ(tsv.delimiter(), '\t');
  EXPECT_EQ(tsv.header(), (Fields{"date", "ad name", "spend"}));
  EXPECT_EQ(rows_of(tsv), (std::vector<Row>{{2, {"2026-01-01", "A, B", "1,5"}}}));

  EXPECT_EQ(Reader::from_string("a,b,c\td\n").delimiter(), ',');         // more commas
  EXPECT_EQ(Reader::from_string("a,b\tc\td\n").delimiter(), '\t');       // more tabs
  EXPECT_EQ(Reader::from_string("a,b\tc\n").delimiter(), ',');           // a tie stays comma
  EXPECT_EQ(Reader::from_string("\"Amount spent, USD\"\tclicks\n").delimiter(), '\t');
  EXPECT_EQ(Reader::from_string("a,b\n1\t2,3\n").delimiter(), ',');      // only the header votes
}

// ---------------------------------------------------------------------------------------
// Errors at load

TEST(CsvReader, UnterminatedQuoteNamesLine) {
  Error e = error_from([] { Reader::from_string("a,b\n1,2\n\n3,\"oops\n4,5\n", "u.csv"); });
  EXPECT_EQ(e.row(), 4);
  EXPECT_EQ(e.file(), "u.csv");
  EXPECT_EQ(e.message(), "unterminated quoted field starting at line 4");

  Error in_header = error_from([] { Reader::from_string("a,\"b\n1,2\n"); });
  EXPECT_EQ(in_header.row(), 1);
  EXPECT_NE(in_header.message().find("line 1"), std::string::npos);

  // A doubled quote right before EOF does not close the field.
  Error doubled = error_from([] { Reader::from_string("a\n\"x\"\"\n"); });
  EXPECT_EQ(doubled.row(), 2);
}

TEST(CsvReader, StrayQuotesDoNotLookUnterminated) {
  Reader r = Reader::from_string("a,b\n5\",x\n6,y\"\n");
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {"5\"", "x"}}, {3, {"6", "y\""}}}));
}

TEST(CsvReader, BinaryDataIsRejected) {
  const std::string zip("PK\x03\x04\x14\0\0\0\x08\0a,b\n", 14);
  Error e = error_from([&] { Reader::from_string(zip, "report.xlsx"); });
  EXPECT_EQ(e.message(), "not a text CSV file (binary data)");
  EXPECT_EQ(e.file(), "report.xlsx");

  TempFile f(std::string("a,b\n1,\0\n", 8));
  Error from_file = error_from([&] { Reader::open(f.path); });
  EXPECT_EQ(from_file.message(), "not a text CSV file (binary data)");
  EXPECT_EQ(from_file.file(), f.path);
}

TEST(CsvReader, MissingFileNamesPath) {
  const std::string path = temp_path("does_not_exist.csv");
  Error e = error_from([&] { Reader::open(path); });
  EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  EXPECT_NE(e.message().find("cannot read file: "), std::string::npos) << e.what();
  EXPECT_NE(e.message().find("No such file"), std::string::npos) << e.what();
}

TEST(CsvReader, DirectoryIsNotReadable) {
  Error e = error_from([] { Reader::open(testing::TempDir()); });
  EXPECT_NE(e.message().find("cannot read file"), std::string::npos) << e.what();
}

// ---------------------------------------------------------------------------------------
// Encodings, through real files

TEST(CsvReader, OpenReadsFile) {
  TempFile f("a,b\n1,2\n");
  Reader r = Reader::open(f.path);
  EXPECT_EQ(r.name(), f.path);
  EXPECT_EQ(r.size_bytes(), 8u);
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {"1", "2"}}}));
}

TEST(CsvReader, Utf8BomOnHeader) {
  TempFile f("\xEF\xBB\xBF" "date,spend\n2026-01-01,1.5\n");
  Reader r = Reader::open(f.path);
  EXPECT_FALSE(r.was_utf16());
  EXPECT_EQ(r.header(), (Fields{"date", "spend"}));
  EXPECT_EQ(r.size_bytes(), 26u);  // BOM removed from the text
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {"2026-01-01", "1.5"}}}));

  // The BOM must not stop a quoted first header name from being recognised as quoted.
  Reader quoted = Reader::from_string("\xEF\xBB\xBF\"date\",\"a,b\"\n1,2\n");
  EXPECT_EQ(quoted.header(), (Fields{"date", "a,b"}));
}

TEST(CsvReader, Utf16LeTsvWithBom) {
  const std::u16string text = u"date\tcampaign\tspend\r\n2026-01-01\tCaf\u00e9 \u2615 \U0001F600\t1.5\r\n";
  TempFile f(utf16_bytes(text, true), "utf16le.tsv");
  Reader r = Reader::open(f.path);
  EXPECT_TRUE(r.was_utf16());
  EXPECT_EQ(r.delimiter(), '\t');
  EXPECT_EQ(r.header(), (Fields{"date", "campaign", "spend"}));
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {"2026-01-01", kCafe, "1.5"}}}));
}

TEST(CsvReader, Utf16Be) {
  const std::u16string text = u"a,b\n\"x,\U0001F600\",\u00e9\n";
  TempFile f(utf16_bytes(text, false), "utf16be.csv");
  Reader r = Reader::open(f.path);
  EXPECT_TRUE(r.was_utf16());
  EXPECT_EQ(r.delimiter(), ',');
  EXPECT_EQ(r.header(), (Fields{"a", "b"}));
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {"x,\xF0\x9F\x98\x80", "\xC3\xA9"}}}));
}

TEST(CsvReader, Utf16MalformedBecomesReplacementChar) {
  // Lone high surrogate, then an odd trailing byte.
  std::string bytes = utf16_bytes(u"a\n", true);
  bytes += std::string("\x3D\xD8" "b\0", 4);
  bytes.push_back('\x01');
  Reader r = Reader::from_string(bytes);
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {"\xEF\xBF\xBD" "b\xEF\xBF\xBD"}}}));
}

// ---------------------------------------------------------------------------------------
// Chunks

// 10,000 data rows with quoted newlines, doubled quotes, stray quotes, CRLF and blank lines;
// `expected` gets each row as the reader should report it.
std::string generated_file(std::vector<Row>& expected) {
  std::string text = "id,name,clicks,spend\n";
  int64_t line = 2;
  for (int i = 0; i < 10000; ++i) {
    std::string id = std::to_string(120000000000000000LL + i);
    std::string name, raw_name;
    int64_t lines_in_record = 1;
    switch (i % 7) {
      case 0:
        name = "multi\nline " + std::to_string(i) + "\nname, with comma";
        raw_name = "\"" + name + "\"";
        lines_in_record = 3;
        break;
      case 1:
        name = "say \"" + std::to_string(i) + "\"";
        raw_name = "\"say \"\"" + std::to_string(i) + "\"\"\"";
        break;
      case 2:
        name = "5\" screen";  // a stray quote, literal
        raw_name = name;
        break;
      default:
        name = "ad " + std::to_string(i);
        raw_name = name;
    }
    const std::string eol = (i % 5 == 0) ? "\r\n" : "\n";
    text += id + "," + raw_name + "," + std::to_string(i % 97) + "," + std::to_string(i) + ".25" + eol;
    expected.push_back({line, {id, name, std::to_string(i % 97), std::to_string(i) + ".25"}});
    line += lines_in_record;
    if (i % 11 == 0) {
      text += "\n";
      ++line;
    }
  }
  return text;
}

TEST(CsvReader, ChunksCoverEveryRecordOnce) {
  std::vector<Row> expected;
  Reader r = Reader::from_string(generated_file(expected));
  std::vector<Row> whole = rows_of(r);
  ASSERT_EQ(whole.size(), 10000u);
  EXPECT_EQ(whole, expected);

  auto chunks = r.chunks(4);
  ASSERT_EQ(chunks.size(), 4u);
  EXPECT_EQ(chunks.back().end, r.size_bytes());
  std::vector<Row> joined;
  for (size_t i = 0; i < chunks.size(); ++i) {
    if (i > 0) {
      EXPECT_EQ(chunks[i].begin, chunks[i - 1].end);
    }
    EXPECT_LT(chunks[i].begin, chunks[i].end);
    const size_t before = joined.size();
    r.for_each(chunks[i], collector(joined));
    ASSERT_GT(joined.size(), before);
    EXPECT_EQ(joined[before].line, chunks[i].first_line);
  }
  EXPECT_EQ(joined, whole);
}

TEST(CsvReader, ChunksAreRoughlyBalanced) {
  std::vector<Row> expected;
  Reader r = Reader::from_string(generated_file(expected));
  auto chunks = r.chunks(3);
  ASSERT_EQ(chunks.size(), 3u);
  const double body = static_cast<double>(chunks.back().end - chunks.front().begin);
  for (const Chunk& c : chunks) {
    EXPECT_NEAR(static_cast<double>(c.end - c.begin), body / 3, body * 0.1);
  }
}

TEST(CsvReader, ChunksParseConcurrently) {
  std::vector<Row> expected;
  Reader r = Reader::from_string(generated_file(expected));
  auto chunks = r.chunks(4);
  std::vector<std::vector<Row>> parts(chunks.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < chunks.size(); ++i) {
    threads.emplace_back([&, i] { r.for_each(chunks[i], collector(parts[i])); });
  }
  for (auto& t : threads) t.join();
  std::vector<Row> joined;
  for (auto& p : parts) joined.insert(joined.end(), p.begin(), p.end());
  EXPECT_EQ(joined, expected);
}

TEST(CsvReader, ChunksOnTinyFileIsOne) {
  Reader r = Reader::from_string("a,b\n1,2\n3,4\n");
  for (int n : {-1, 0, 1, 4, 64}) {
    auto chunks = r.chunks(n);
    ASSERT_EQ(chunks.size(), 1u) << n;
    EXPECT_EQ(chunks[0].begin, 4u);
    EXPECT_EQ(chunks[0].end, r.size_bytes());
    EXPECT_EQ(chunks[0].first_line, 2);
    std::vector<Row> rows;
    r.for_each(chunks[0], collector(rows));
    EXPECT_EQ(rows, (std::vector<Row>{{2, {"1", "2"}}, {3, {"3", "4"}}}));
  }
}

TEST(CsvReader, ChunksWithOneHugeQuotedField) {
  // A record bigger than the chunk size: no cut may fall inside its quotes.
  std::string big(600 * 1024, 'x');
  for (size_t i = 100; i < big.size(); i += 100) big[i] = '\n';
  const std::string text = "a,b\n1,\"" + big + "\"\n2,y\n";
  Reader r = Reader::from_string(text);
  std::vector<Row> joined;
  for (const Chunk& c : r.chunks(8)) r.for_each(c, collector(joined));
  ASSERT_EQ(joined.size(), 2u);
  EXPECT_EQ(joined[0].fields[1], big);
  EXPECT_EQ(joined[1].line, 2 + static_cast<int64_t>(std::count(big.begin(), big.end(), '\n')) + 1);
}

// Files are mapped, not read (issue 5): the mapped path must give exactly what reading
// the same bytes gives, for plain, BOM-marked and UTF-16 files, and pipes still work.
TEST(CsvReaderFiles, MappedFileEqualsTheSameBytesInMemory) {
  const std::vector<std::string> inputs = {
      "a,b\n1,2\n\"x,y\",3\n", "\xEF\xBB\xBF" "a,b\r\n1,2\r\n", utf16_bytes(u"a,b\n1,2\n", true),
      utf16_bytes(u"a,b\n3,4\n", false)};
  for (const auto& bytes : inputs) {
    TempFile file(bytes);
    const Reader mapped = Reader::open(file.path);
    const Reader memory = Reader::from_string(bytes);
    EXPECT_EQ(mapped.header(), memory.header());
    EXPECT_EQ(rows_of(mapped), rows_of(memory));
    EXPECT_EQ(mapped.size_bytes(), memory.size_bytes());
  }
}

TEST(CsvReaderFiles, PipesAreRead) {
  const std::string fifo = temp_path("pipe.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] {
    std::FILE* f = std::fopen(fifo.c_str(), "wb");
    std::fputs("a,b\n1,2\n", f);
    std::fclose(f);
  });
  const Reader r = Reader::open(fifo);
  writer.join();
  std::remove(fifo.c_str());
  EXPECT_EQ(r.header(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(rows_of(r).size(), 1u);
}

TEST(CsvReaderFiles, RecordEstimateIsCloseAndBounded) {
  std::string text = "date,ad_id,spend\n";
  for (int i = 0; i < 100000; ++i) text += "2026-01-01,ad_" + std::to_string(i % 97) + ",1.5\n";
  const Reader r = Reader::from_string(text);
  const auto chunks = r.chunks(1);
  ASSERT_EQ(chunks.size(), 1u);
  const size_t estimate = r.estimate_records(chunks[0]);
  EXPECT_GE(estimate, 100000u);
  EXPECT_LE(estimate, 110000u);
  // Blank lines are not records: the estimate stays bounded by the bytes per field.
  const Reader blank = Reader::from_string("a,b,c\n" + std::string(100000, '\n') + "1,2,3\n");
  EXPECT_LE(blank.estimate_records(blank.chunks(1)[0]), 100010u / 3 + 1);
}

}  // namespace
}  // namespace elv::csv
