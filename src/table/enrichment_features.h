// Per-value building blocks for the enrichment features of docs/CONTRACT.md §4.5: audience
// targeting text, creative type, and placement/geo spend summaries. Pure functions, no
// I/O; the table builder applies the window/lag/fallback rules and names the columns.
#pragma once
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace elv::table {

// ---- Targeting (adset_targeting.csv: audience_keywords) ----

inline constexpr int kTargetingBuckets = 64;

// Split on ',', ';', '|', '\n' and '\r'; trim spaces/tabs; ASCII-lowercase (other UTF-8
// bytes are kept as they are); drop empty tokens; de-duplicate keeping the first
// occurrence's order.
std::vector<std::string> targeting_tokens(std::string_view text);

// MD5(token bytes) mod 64 = the low 6 bits of the digest's last byte.
int md5_bucket64(std::string_view token);

struct TargetingFeatures {
  double kw_count = 0, kw_present = 0, kw_avg_len = 0;
  std::array<double, kTargetingBuckets> hash{};  // hash[b] = tokens falling in bucket b
};

// Features of one targeting text. kw_avg_len = mean token length in bytes (0 when there
// are no tokens); kw_present = 1 when there is at least one token. An ad set with no
// targeting row gets a default-constructed TargetingFeatures (all zeros).
TargetingFeatures targeting_features(std::string_view text);

// "aud_kw_hash_000" … "aud_kw_hash_063".
std::string targeting_hash_column(int bucket);

// ---- Creative (ad_creatives.csv: creative_type) ----

struct CreativeFlags {
  double present = 0, is_video = 0, is_image = 0, is_carousel = 0, is_other = 0;
};

// Flags for an ad that HAS a creative row, from the row's type (trimmed, ASCII-lowercased):
// "video" -> video; "image"/"photo" -> image; "carousel" -> carousel; any other non-empty
// text -> other. An empty type gives present = 1 and all type flags 0: the row exists but
// says nothing about the format, and calling it "other" would claim a format we don't know.
// An ad with no creative row gets a default-constructed CreativeFlags (all zeros).
CreativeFlags creative_flags(std::string_view creative_type);

// ---- Placement / geo spend summary ----

struct DimStats {
  double n_unique = 0, entropy = 0, top1_share = 0, total_spend = 0;
  int top1_index = -1;
};

// spend[i] >= 0 is the window's spend for dimension value i (i < n).
// n_unique = values with spend > 0; total_spend = Σ spend; shares s_i = spend_i / total;
// entropy = −Σ s ln s over s > 0 (natural log); top1_share = max share; top1_index =
// argmax with ties to the smallest index. Everything 0 and top1_index = -1 when
// total <= 0 (no spend in the window).
DimStats dim_stats(const double* spend, int n);

}  // namespace elv::table
