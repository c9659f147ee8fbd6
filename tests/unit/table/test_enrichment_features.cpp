#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "table/enrichment_features.h"

namespace elv::table {
namespace {

using Tokens = std::vector<std::string>;

// ---- targeting_tokens ----

TEST(TargetingTokens, SplitsTrimsLowercasesAndDeduplicates) {
  EXPECT_EQ(targeting_tokens("Small Business, marketing;  CRM |crm\nYoga"),
            (Tokens{"small business", "marketing", "crm", "yoga"}));
}

TEST(TargetingTokens, EmptyTextGivesNoTokens) { EXPECT_EQ(targeting_tokens(""), Tokens{}); }

TEST(TargetingTokens, OnlySeparatorsAndBlanksGiveNoTokens) {
  EXPECT_EQ(targeting_tokens(",;|\n\r, \t ;  |"), Tokens{});
}

TEST(TargetingTokens, CrlfAndTabsAreHandled) {
  EXPECT_EQ(targeting_tokens("\tFitness\r\nYoga \t\r\n"), (Tokens{"fitness", "yoga"}));
}

TEST(TargetingTokens, KeepsInnerSpacesAndFirstOccurrenceOrder) {
  EXPECT_EQ(targeting_tokens("b, A, a b, B, a"), (Tokens{"b", "a", "a b"}));
}

TEST(TargetingTokens, LowercasingIsAsciiOnlyAndKeepsUtf8Bytes) {
  // "CAFÉ" -> "cafÉ": the non-ASCII É is left as it is (locale-independent).
  EXPECT_EQ(targeting_tokens("CAFÉ"), (Tokens{"caf\xC3\x89"}));
  EXPECT_EQ(targeting_tokens("Café"), (Tokens{"caf\xC3\xA9"}));
}

// ---- md5_bucket64 ----
// Expected values computed independently with coreutils, e.g.
//   printf '%s' 'small business' | md5sum   -> 7a885cec099a9ae6361d053e3dea3677
//   last byte 0x77, 0x77 & 63 = 55
// Full table (token: md5 -> last byte -> bucket):
//   ''              d41d8cd98f00b204e9800998ecf8427e  0x7e  62
//   'a'             0cc175b9c0f1b6a831c399e269772661  0x61  33
//   'small business' 7a885cec099a9ae6361d053e3dea3677 0x77  55
//   'crm'           1fece0cb254f1f45891bc9ee9fed72a9  0xa9  41
//   'café' (63 61 66 c3 a9)
//                   07117fe4a1ebd544965dc19573183da2  0xa2  34
//   'marketing'     c769c2bd15500dd906102d9be97fdceb  0xeb  43
//   'yoga'          807659cd883fc0a63f6ce615893b3558  0x58  24

TEST(Md5Bucket64, MatchesMd5sumVectors) {
  EXPECT_EQ(md5_bucket64(""), 62);
  EXPECT_EQ(md5_bucket64("a"), 33);
  EXPECT_EQ(md5_bucket64("small business"), 55);
  EXPECT_EQ(md5_bucket64("crm"), 41);
  EXPECT_EQ(md5_bucket64("caf\xC3\xA9"), 34);  // "café" as UTF-8
  EXPECT_EQ(md5_bucket64("marketing"), 43);
  EXPECT_EQ(md5_bucket64("yoga"), 24);
}

TEST(Md5Bucket64, AlwaysInRange) {
  for (int i = 0; i < 500; ++i) {
    const int b = md5_bucket64("token" + std::to_string(i));
    EXPECT_GE(b, 0);
    EXPECT_LT(b, kTargetingBuckets);
  }
}

// ---- targeting_features ----

TEST(TargetingFeatures, HandComputedCase) {
  // Tokens: "café" (5 bytes), "crm" (3), "yoga" (4); "crm" repeated is counted once.
  const TargetingFeatures f = targeting_features("Café, CRM; crm|yoga\n CRM");
  EXPECT_DOUBLE_EQ(f.kw_count, 3);
  EXPECT_DOUBLE_EQ(f.kw_present, 1);
  EXPECT_DOUBLE_EQ(f.kw_avg_len, 4.0);  // (5 + 3 + 4) / 3
  EXPECT_DOUBLE_EQ(std::accumulate(f.hash.begin(), f.hash.end(), 0.0), 3);
  EXPECT_DOUBLE_EQ(f.hash[34], 1);  // café
  EXPECT_DOUBLE_EQ(f.hash[41], 1);  // crm
  EXPECT_DOUBLE_EQ(f.hash[24], 1);  // yoga
}

TEST(TargetingFeatures, NonIntegerAverageLength) {
  // "a" (1) + "small business" (14) -> 7.5; buckets 33 and 55.
  const TargetingFeatures f = targeting_features("A | Small Business | a");
  EXPECT_DOUBLE_EQ(f.kw_count, 2);
  EXPECT_DOUBLE_EQ(f.kw_avg_len, 7.5);
  EXPECT_DOUBLE_EQ(f.hash[33], 1);
  EXPECT_DOUBLE_EQ(f.hash[55], 1);
}

TEST(TargetingFeatures, EmptyTextGivesZeros) {
  const TargetingFeatures f = targeting_features(" ;, ");
  EXPECT_DOUBLE_EQ(f.kw_count, 0);
  EXPECT_DOUBLE_EQ(f.kw_present, 0);
  EXPECT_DOUBLE_EQ(f.kw_avg_len, 0);
  for (double h : f.hash) EXPECT_DOUBLE_EQ(h, 0);
}

TEST(TargetingHashColumn, ZeroPaddedNames) {
  EXPECT_EQ(targeting_hash_column(7), "aud_kw_hash_007");
  EXPECT_EQ(targeting_hash_column(0), "aud_kw_hash_000");
  EXPECT_EQ(targeting_hash_column(63), "aud_kw_hash_063");
}

// ---- creative_flags ----

void expect_flags(const CreativeFlags& f, double present, double video, double image,
                  double carousel, double other) {
  EXPECT_DOUBLE_EQ(f.present, present);
  EXPECT_DOUBLE_EQ(f.is_video, video);
  EXPECT_DOUBLE_EQ(f.is_image, image);
  EXPECT_DOUBLE_EQ(f.is_carousel, carousel);
  EXPECT_DOUBLE_EQ(f.is_other, other);
}

TEST(CreativeFlags, KnownTypes) {
  expect_flags(creative_flags("video"), 1, 1, 0, 0, 0);
  expect_flags(creative_flags("Image"), 1, 0, 1, 0, 0);
  expect_flags(creative_flags("photo"), 1, 0, 1, 0, 0);
  expect_flags(creative_flags("carousel"), 1, 0, 0, 1, 0);
  expect_flags(creative_flags("  VIDEO\t"), 1, 1, 0, 0, 0);
}

TEST(CreativeFlags, UnknownTypeIsOther) {
  expect_flags(creative_flags("Collection"), 1, 0, 0, 0, 1);
}

TEST(CreativeFlags, EmptyTypeOnExistingRowIsPresentOnly) {
  expect_flags(creative_flags(""), 1, 0, 0, 0, 0);
  expect_flags(creative_flags("  "), 1, 0, 0, 0, 0);
}

TEST(CreativeFlags, NoRowIsAllZeros) { expect_flags(CreativeFlags{}, 0, 0, 0, 0, 0); }

// ---- dim_stats ----

TEST(DimStats, HandComputedCase) {
  const double spend[] = {50, 30, 20, 0};
  const DimStats s = dim_stats(spend, 4);
  EXPECT_DOUBLE_EQ(s.n_unique, 3);
  EXPECT_DOUBLE_EQ(s.total_spend, 100);
  // −(0.5 ln 0.5 + 0.3 ln 0.3 + 0.2 ln 0.2)
  EXPECT_NEAR(s.entropy, 1.0296530140645737, 1e-12);
  EXPECT_DOUBLE_EQ(s.top1_share, 0.5);
  EXPECT_EQ(s.top1_index, 0);
}

TEST(DimStats, TopIsNotFirst) {
  const double spend[] = {0, 10, 30};
  const DimStats s = dim_stats(spend, 3);
  EXPECT_DOUBLE_EQ(s.n_unique, 2);
  EXPECT_DOUBLE_EQ(s.top1_share, 0.75);
  EXPECT_EQ(s.top1_index, 2);
  EXPECT_NEAR(s.entropy, -(0.25 * std::log(0.25) + 0.75 * std::log(0.75)), 1e-12);
}

TEST(DimStats, AllZeroSpendGivesZerosAndNoTop) {
  const double spend[] = {0, 0, 0};
  const DimStats s = dim_stats(spend, 3);
  EXPECT_DOUBLE_EQ(s.n_unique, 0);
  EXPECT_DOUBLE_EQ(s.entropy, 0);
  EXPECT_DOUBLE_EQ(s.top1_share, 0);
  EXPECT_DOUBLE_EQ(s.total_spend, 0);
  EXPECT_EQ(s.top1_index, -1);
}

TEST(DimStats, EmptyInputGivesZerosAndNoTop) {
  const DimStats s = dim_stats(nullptr, 0);
  EXPECT_DOUBLE_EQ(s.n_unique, 0);
  EXPECT_DOUBLE_EQ(s.total_spend, 0);
  EXPECT_EQ(s.top1_index, -1);
}

TEST(DimStats, SingleValue) {
  const double spend[] = {0, 42.5};
  const DimStats s = dim_stats(spend, 2);
  EXPECT_DOUBLE_EQ(s.n_unique, 1);
  EXPECT_DOUBLE_EQ(s.entropy, 0);
  EXPECT_DOUBLE_EQ(s.top1_share, 1);
  EXPECT_DOUBLE_EQ(s.total_spend, 42.5);
  EXPECT_EQ(s.top1_index, 1);
}

TEST(DimStats, TieGoesToSmallestIndex) {
  const double spend[] = {10, 40, 40, 10};
  const DimStats s = dim_stats(spend, 4);
  EXPECT_EQ(s.top1_index, 1);
  EXPECT_DOUBLE_EQ(s.top1_share, 0.4);
}

}  // namespace
}  // namespace elv::table
