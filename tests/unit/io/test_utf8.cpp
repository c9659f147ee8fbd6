// io/utf8.h: the one UTF-8 check and encoder, at the edges of Unicode's Table 3-7.
#include <string>

#include <gtest/gtest.h>

#include "io/utf8.h"

namespace elv::io::utf8 {
namespace {

size_t length_of(const std::string& s, CutOff cut_off = CutOff::kMalformed) {
  return sequence_length(s, 0, cut_off);
}

TEST(Utf8, WellFormedSequencesOfEachLength) {
  EXPECT_EQ(length_of("\xC3\xA9"), 2u);          // é
  EXPECT_EQ(length_of("\xE2\x82\xAC"), 3u);      // €
  EXPECT_EQ(length_of("\xF0\x9F\x98\x80"), 4u);  // 😀
  EXPECT_EQ(length_of("\xC2\x80"), 2u);          // the first 2-byte code point
  EXPECT_EQ(length_of("\xF4\x8F\xBF\xBF"), 4u);  // U+10FFFF, the last
}

TEST(Utf8, MalformedSequences) {
  EXPECT_EQ(length_of("\xE9"), 0u);              // Windows-1252 é alone
  EXPECT_EQ(length_of("\x80"), 0u);              // a continuation byte first
  EXPECT_EQ(length_of("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(length_of("\xC1\xBF"), 0u);          // overlong
  EXPECT_EQ(length_of("\xE0\x80\xAF"), 0u);      // overlong 3-byte
  EXPECT_EQ(length_of("\xED\xA0\x80"), 0u);      // a surrogate (U+D800)
  EXPECT_EQ(length_of("\xF0\x80\x80\xAF"), 0u);  // overlong 4-byte
  EXPECT_EQ(length_of("\xF4\x90\x80\x80"), 0u);  // past U+10FFFF
  EXPECT_EQ(length_of("\xF5\x80\x80\x80"), 0u);  // no such lead byte
  EXPECT_EQ(length_of("\xE2\x28\xA1"), 0u);      // a bad second byte
  EXPECT_EQ(length_of("\xE2\x82\x28"), 0u);      // a bad third byte
}

TEST(Utf8, ACutOffSequenceIsMalformedUnlessTheTextIsASample) {
  EXPECT_EQ(length_of("\xE2\x82"), 0u);
  EXPECT_EQ(length_of("\xE2\x82", CutOff::kWellFormed), 3u);
  EXPECT_EQ(length_of("\xF0", CutOff::kWellFormed), 4u);
  // A wrong byte before the cut is wrong either way.
  EXPECT_EQ(length_of("\xE2\x28", CutOff::kWellFormed), 0u);
  // In the middle of a text.
  const std::string text = "ab\xC3\xA9\xC3";
  EXPECT_EQ(sequence_length(text, 2), 2u);
  EXPECT_EQ(sequence_length(text, 4), 0u);
}

TEST(Utf8, EncodeRoundTripsEveryLength) {
  for (const uint32_t cp : {0x41u, 0xE9u, 0x7FFu, 0x800u, 0x20ACu, 0xFFFDu, 0x10000u, 0x10FFFFu}) {
    std::string s;
    append(s, cp);
    ASSERT_EQ(s.size(), encoded_length(cp)) << std::hex << cp;
    if (cp >= 0x80) {
      EXPECT_EQ(sequence_length(s, 0), s.size()) << std::hex << cp;
    }
  }
  std::string euro;
  append(euro, 0x20AC);
  EXPECT_EQ(euro, "\xE2\x82\xAC");
}

}  // namespace
}  // namespace elv::io::utf8
