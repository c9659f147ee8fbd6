#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "base/error.h"
#include "io/csv_reader.h"

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
  Reader r =
      Reader::from_string("date,ad_id,clicks\n2026-01-01,123,4\n2026-01-02,456,5\n", "x.csv");
  EXPECT_EQ(r.name(), "x.csv");
  EXPECT_EQ(r.delimiter(), ',');
  EXPECT_FALSE(r.was_utf16());
  ASSERT_TRUE(r.has_header());
  EXPECT_EQ(r.header(), (Fields{"date", "ad_id", "clicks"}));
  EXPECT_EQ(rows_of(r),
            (std::vector<Row>{{2, {"2026-01-01", "123", "4"}}, {3, {"2026-01-02", "456", "5"}}}));
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
  EXPECT_EQ(
      rows_of("size,n\n5\" screen,1\nab\"c\"d,2\n\"ab\"cd,3\n"),
      (std::vector<Row>{{2, {"5\" screen", "1"}}, {3, {"ab\"c\"d", "2"}}, {4, {"abcd", "3"}}}));
}

TEST(CsvReader, FieldsAreNotTrimmedButHeaderIs) {
  Reader r = Reader::from_string(" date , spend\t,\" id \"\n 1 ,\" 2 \",3\n");
  EXPECT_EQ(r.header(), (Fields{"date", "spend", "id"}));
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {" 1 ", " 2 ", "3"}}}));
}

TEST(CsvReader, StrayBomInHeaderNameIsTrimmed) {
  Reader r = Reader::from_string(
      "\"\xEF\xBB\xBF"
      "date\",b, \xEF\xBB\xBF"
      "c\n1,2,3\n");
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
  EXPECT_EQ(rows_of("id\n1\n\"\"\n\n2\n"), (std::vector<Row>{{2, {"1"}}, {3, {""}}, {5, {"2"}}}));
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

  EXPECT_EQ(Reader::from_string("a,b,c\td\n").delimiter(), ',');    // more commas
  EXPECT_EQ(Reader::from_string("a,b\tc\td\n").delimiter(), '\t');  // more tabs
  EXPECT_EQ(Reader::from_string("a,b\tc\n").delimiter(), ',');      // a tie stays comma
  EXPECT_EQ(Reader::from_string("\"Amount spent, USD\"\tclicks\n").delimiter(), '\t');
  EXPECT_EQ(Reader::from_string("a,b\n1\t2,3\n").delimiter(), ',');  // only the header votes
}

// ---------------------------------------------------------------------------------------
// Delimiters: ',', ';' or tab, detected, from a "sep=" line, or configured

TEST(CsvReaderDelimiter, SemicolonIsDetected) {
  // European Excel: ';' between fields, ',' as the decimal mark.
  Reader r = Reader::from_string("date;ad_id;spend\n2026-01-01;a1;1,50\n2026-01-02;a2;3\n");
  EXPECT_EQ(r.delimiter(), ';');
  EXPECT_EQ(r.delimiter_source(), DelimiterSource::Detected);
  EXPECT_EQ(r.header(), (Fields{"date", "ad_id", "spend"}));
  EXPECT_EQ(rows_of(r),
            (std::vector<Row>{{2, {"2026-01-01", "a1", "1,50"}}, {3, {"2026-01-02", "a2", "3"}}}));
  EXPECT_EQ(r.describe_format(), "';'-separated");
}

TEST(CsvReaderDelimiter, RowsConfirmTheHeadersVote) {
  // The header has as many ',' as ';' but only ';' splits the rows the same way.
  Reader r = Reader::from_string("a,b;c;d\n1;2,5;3\n4;5;6\n");
  EXPECT_EQ(r.delimiter(), ';');
  // A quoted header cell does not vote for the delimiter inside it.
  EXPECT_EQ(Reader::from_string("\"Amount spent, EUR\";clicks\n1,5;2\n").delimiter(), ';');
  // Without any candidate the file is one column, read with ','.
  EXPECT_EQ(Reader::from_string("lead_id\nL1\n").delimiter(), ',');
}

TEST(CsvReaderDelimiter, SepLineSetsItAndKeepsPhysicalLineNumbers) {
  Reader r = Reader::from_string("sep=;\r\ndate;spend\r\n2026-01-01;1,5\r\n\r\n2026-01-02;2\r\n");
  EXPECT_EQ(r.delimiter(), ';');
  EXPECT_EQ(r.delimiter_source(), DelimiterSource::SepLine);
  EXPECT_EQ(r.header_line(), 2);
  EXPECT_EQ(r.header(), (Fields{"date", "spend"}));
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{3, {"2026-01-01", "1,5"}}, {5, {"2026-01-02", "2"}}}));
  EXPECT_EQ(r.describe_format(), "';'-separated (sep= line)");
  // The sep= line wins over what the header alone would suggest.
  EXPECT_EQ(Reader::from_string("sep=,\na;b,c\n1;2,3\n").delimiter(), ',');
  EXPECT_EQ(Reader::from_string("\xEF\xBB\xBFsep=\t\na\tb\n").delimiter(), '\t');
  // A ragged row after the sep= line names its physical line.
  Error e = error_from([] { rows_of(Reader::from_string("sep=;\na;b\n1;2\n3\n")); });
  EXPECT_EQ(e.row(), 4);
  // An unsupported delimiter is refused at line 1.
  Error pipe = error_from([] { Reader::from_string("sep=|\na|b\n", "x.csv"); });
  EXPECT_EQ(pipe.row(), 1);
  EXPECT_NE(pipe.message().find("elv reads ',', ';' or tab"), std::string::npos) << pipe.what();
  // A header cell that only starts with "sep=" is a header.
  EXPECT_EQ(Reader::from_string("sep=x,b\n1,2\n").header(), (Fields{"sep=x", "b"}));
}

TEST(CsvReaderDelimiter, ConfiguredDelimiterIsUsed) {
  Reader r = Reader::from_string("a;b,c\n1;2,3\n", "x.csv", ReadOptions{';'});
  EXPECT_EQ(r.delimiter(), ';');
  EXPECT_EQ(r.delimiter_source(), DelimiterSource::Configured);
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {"1", "2,3"}}}));
  EXPECT_EQ(r.describe_format(), "';'-separated (configured)");
  // Configured ',' on a file detection would read as ';' with the same field counts.
  Reader comma = Reader::from_string("a,b;c\n1,2;3\n", "x.csv", ReadOptions{','});
  EXPECT_EQ(comma.header(), (Fields{"a", "b;c"}));
}

TEST(CsvReaderDelimiter, WrongConfiguredDelimiterIsNamed) {
  Error e = error_from([] {
    Reader::from_string("date;ad_id;spend\n2026-01-01;a1;1,5\n", "ads.csv", ReadOptions{','});
  });
  EXPECT_EQ(std::string(e.what()),
            "ads.csv:1: the file looks ';'-separated, but ',' was configured (csv.delimiter)");
  Error tab = error_from([] { Reader::from_string("sep=;\na\tb\n", "ads.csv", ReadOptions{';'}); });
  EXPECT_EQ(std::string(tab.what()),
            "ads.csv:2: the file looks tab-separated, but ';' was configured (csv.delimiter)");
  Error bad = error_from([] { Reader::from_string("a|b\n", "x.csv", ReadOptions{'|'}); });
  EXPECT_NE(bad.message().find("must be ',', ';' or tab"), std::string::npos);
}

TEST(CsvReaderDelimiter, SingleColumnHeaderIsExposed) {
  Reader pipe = Reader::from_string("lead_id|created_time\nL1|2026-01-01\n");
  EXPECT_TRUE(pipe.single_column_header());
  EXPECT_EQ(pipe.single_column_hint(),
            "the header was read as a single column: is the file separated by a character other "
            "than ',', ';' or tab?");
  Reader quoted = Reader::from_string("\"lead_id;created_time\"\n\"L1;2026-01-01\"\n");
  EXPECT_TRUE(quoted.single_column_header());
  EXPECT_EQ(quoted.single_column_hint(),
            "the header was read as a single column holding ';': is the whole header line quoted?");
  EXPECT_EQ(Reader::from_string("a,b\n").single_column_hint(), "");
  // A "sep=" line naming the wrong delimiter.
  EXPECT_EQ(
      Reader::from_string("sep=,\na;b\n1;2\n").single_column_hint(),
      "the header was read as a single column holding ';', but the file's \"sep=\" line says ',': "
      "remove or correct that line");
}

// ---------------------------------------------------------------------------------------
// CR-only line ends (old Excel for Mac)

TEST(CsvReader, CrOnlyLineEnds) {
  Reader r = Reader::from_string("a,b\r1,2\r\"x\",\"y\"\r\r3,4\r", "mac.csv");
  EXPECT_TRUE(r.was_cr_only());
  EXPECT_EQ(r.header(), (Fields{"a", "b"}));
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {"1", "2"}}, {3, {"x", "y"}}, {5, {"3", "4"}}}));
  EXPECT_EQ(r.describe_format(), "','-separated, CR line ends");
  Error e = error_from([] { rows_of(Reader::from_string("a,b\r1,2\r3\r", "mac.csv")); });
  EXPECT_EQ(e.row(), 3);
  // Through a real (mapped) file too.
  TempFile f("a;b\r1;2\r3;4");
  EXPECT_EQ(rows_of(Reader::open(f.path)), (std::vector<Row>{{2, {"1", "2"}}, {3, {"3", "4"}}}));
  // With any '\n' in the file, a lone '\r' stays data.
  EXPECT_FALSE(Reader::from_string("a,b\nx\ry,2\n").was_cr_only());
}

// ---------------------------------------------------------------------------------------
// Invisible characters in header names

TEST(CsvReader, InvisibleHeaderCharactersAreRemovedAndNoted) {
  Reader r = Reader::from_string(
      "Amount spent\xC2\xA0(EUR),\xE2\x80\x8B"
      "clicks\xE2\x80\x8D,ad\xC2\xADname,\xC2\xA0"
      "date\xE2\x81\xA0,"
      "lead\xEF\xBB\xBF"
      "_id,plain\n1,2,3,4,5,6\n");
  EXPECT_EQ(r.header(),
            (Fields{"Amount spent (EUR)", "clicks", "adname", "date", "lead_id", "plain"}));
  EXPECT_EQ(
      r.header_notes(),
      (Fields{"header 'Amount spent (EUR)' held invisible characters (no-break space); they were "
              "ignored",
              "header 'clicks' held invisible characters (zero-width space, zero-width joiner); "
              "they were ignored",
              "header 'adname' held invisible characters (soft hyphen); they were ignored",
              "header 'date' held invisible characters (no-break space, word joiner); they were "
              "ignored",
              "header 'lead_id' held invisible characters (byte-order mark); they were ignored"}));
  EXPECT_EQ(rows_of(r)[0].fields[0], "1");
  EXPECT_TRUE(Reader::from_string("a,b\n").header_notes().empty());
  // Cells are data and keep their characters.
  EXPECT_EQ(rows_of("a\nx\xC2\xA0y\n")[0].fields[0], "x\xC2\xA0y");
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

  // Mostly control bytes and NULs from a file: binary, whatever its name.
  TempFile f(std::string("a,b\n\0\x01\x02\x03\x04\x05\x06\x07\x08\0\n", 15));
  Error from_file = error_from([&] { Reader::open(f.path); });
  EXPECT_EQ(from_file.message(), "not a text CSV file (binary data)");
  EXPECT_EQ(from_file.file(), f.path);
}

// One NUL in an otherwise text file (a damaged copy) is named with its line.
TEST(CsvReader, NulByteInTextNamesItsLine) {
  std::string text = "lead_id,created_time\n";
  for (int i = 2; i <= 60; ++i) text += "L" + std::to_string(i) + ",2026-01-01\n";
  text.insert(text.find("L57,") + 2, 1, '\0');  // inside line 57
  TempFile f(text, "leads.csv");
  Error e = error_from([&] { Reader::open(f.path); });
  EXPECT_EQ(e.message(), "a NUL byte (0x00) in the file; remove it or re-export the file");
  EXPECT_EQ(e.row(), 57);
  EXPECT_EQ(e.file(), f.path);
  // Counted in CR-only line ends as well.
  Error cr = error_from([] { Reader::from_string(std::string("a,b\r1,2\r3,\0\r", 12)); });
  EXPECT_EQ(cr.row(), 3);
}

TEST(CsvReader, MissingFileNamesPath) {
  const std::string path = temp_path("does_not_exist.csv");
  Error e = error_from([&] { Reader::open(path); });
  EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  EXPECT_EQ(e.message(), "CSV file not found");
}

TEST(CsvReader, DirectoryIsNotReadable) {
  Error e = error_from([] { Reader::open(testing::TempDir()); });
  EXPECT_EQ(e.message(), "is a folder, not a CSV file");
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
  TempFile f(
      "\xEF\xBB\xBF"
      "date,spend\n2026-01-01,1.5\n");
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
  const std::u16string text =
      u"date\tcampaign\tspend\r\n2026-01-01\tCaf\u00e9 \u2615 \U0001F600\t1.5\r\n";
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
  bytes += std::string(
      "\x3D\xD8"
      "b\0",
      4);
  bytes.push_back('\x01');
  Reader r = Reader::from_string(bytes);
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2,
                                           {"\xEF\xBF\xBD"
                                            "b\xEF\xBF\xBD"}}}));
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
    text +=
        id + "," + raw_name + "," + std::to_string(i % 97) + "," + std::to_string(i) + ".25" + eol;
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
  const std::vector<std::string> inputs = {"a,b\n1,2\n\"x,y\",3\n",
                                           "\xEF\xBB\xBF"
                                           "a,b\r\n1,2\r\n",
                                           utf16_bytes(u"a,b\n1,2\n", true),
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

// Pipes used to be read to their end; now every non-regular file is refused before it is
// opened. Run on another thread with a deadline: opening a FIFO without a writer would
// block forever, and reading /dev/zero would never end.
Error error_within_seconds(const std::string& path) {
  auto future =
      std::async(std::launch::async, [path] { return error_from([&] { Reader::open(path); }); });
  if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    ADD_FAILURE() << path << ": Reader::open blocked";
    std::abort();  // the blocked thread cannot be joined
  }
  return future.get();
}

TEST(CsvReaderFiles, FifoIsRefusedWithoutBlocking) {
  const std::string fifo = temp_path("pipe.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const Error e = error_within_seconds(fifo);
  std::remove(fifo.c_str());
  EXPECT_EQ(e.message(), "not a regular file (a FIFO (named pipe)); give the path of a CSV file");
  EXPECT_EQ(e.file(), fifo);
}

TEST(CsvReaderFiles, CharacterDevicesAreRefused) {
  for (const char* path : {"/dev/zero", "/dev/urandom", "/dev/null"}) {
    const Error e = error_within_seconds(path);
    EXPECT_EQ(std::string(e.what()),
              std::string(path) +
                  ": not a regular file (a character device); give the path of a CSV file");
  }
}

TEST(CsvReaderFiles, SocketIsRefused) {
  const std::string path = temp_path("s.csv");
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof addr.sun_path);
  std::copy(path.begin(), path.end(), addr.sun_path);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  const Error e = error_within_seconds(path);
  ::close(fd);
  std::remove(path.c_str());
  EXPECT_EQ(e.message(), "not a regular file (a socket); give the path of a CSV file");
}

TEST(CsvReaderFiles, SymlinkLoopIsNamed) {
  const std::string a = temp_path("a.csv"), b = temp_path("b.csv");
  ASSERT_EQ(::symlink(b.c_str(), a.c_str()), 0);
  ASSERT_EQ(::symlink(a.c_str(), b.c_str()), 0);
  const Error e = error_within_seconds(a);
  std::remove(a.c_str());
  std::remove(b.c_str());
  EXPECT_EQ(e.message(), "cannot open file: too many levels of symbolic links");
  EXPECT_EQ(e.file(), a);
}

TEST(CsvReaderFiles, SymlinkToARegularFileIsRead) {
  TempFile target("a,b\n1,2\n");
  const std::string link = temp_path("link.csv");
  ASSERT_EQ(::symlink(target.path.c_str(), link.c_str()), 0);
  const Reader r = Reader::open(link);
  std::remove(link.c_str());
  EXPECT_EQ(rows_of(r), (std::vector<Row>{{2, {"1", "2"}}}));
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
