#include "table/enrichment_features.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <unordered_set>

#include <openssl/evp.h>

namespace elv::table {

namespace {

bool is_separator(char c) { return c == ',' || c == ';' || c == '|' || c == '\n' || c == '\r'; }

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// ASCII only: bytes >= 0x80 (UTF-8 multi-byte sequences) pass through untouched, so the
// result never depends on the locale and stays valid UTF-8.
std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::vector<std::string> targeting_tokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::unordered_set<std::string> seen;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && !is_separator(text[i])) continue;
    std::string token = ascii_lower(trim_blanks(text.substr(start, i - start)));
    start = i + 1;
    if (!token.empty() && seen.insert(token).second) tokens.push_back(std::move(token));
  }
  return tokens;
}

int md5_bucket64(std::string_view token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(token.data(), token.size(), digest, &len, EVP_md5(), nullptr) != 1 || len != 16)
    throw std::runtime_error("MD5 digest failed (OpenSSL EVP_Digest)");
  // The digest read as a big-endian 128-bit number mod 64 is its last byte's low 6 bits.
  return digest[len - 1] & (kTargetingBuckets - 1);
}

TargetingFeatures targeting_features(std::string_view text) {
  TargetingFeatures f;
  const std::vector<std::string> tokens = targeting_tokens(text);
  if (tokens.empty()) return f;
  double total_len = 0;
  for (const std::string& t : tokens) {
    total_len += static_cast<double>(t.size());
    f.hash[md5_bucket64(t)] += 1;
  }
  f.kw_count = static_cast<double>(tokens.size());
  f.kw_present = 1;
  f.kw_avg_len = total_len / f.kw_count;
  return f;
}

std::string targeting_hash_column(int bucket) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "aud_kw_hash_%03d", bucket);
  return buf;
}

CreativeFlags creative_flags(std::string_view creative_type) {
  CreativeFlags f;
  f.present = 1;
  const std::string type = ascii_lower(trim_blanks(creative_type));
  if (type.empty()) return f;  // row exists, format unknown: see the header
  if (type == "video")
    f.is_video = 1;
  else if (type == "image" || type == "photo")
    f.is_image = 1;
  else if (type == "carousel")
    f.is_carousel = 1;
  else
    f.is_other = 1;
  return f;
}

DimStats dim_stats(const double* spend, int n) {
  DimStats s;
  double total = 0;
  int top = -1;
  for (int i = 0; i < n; ++i) {
    if (spend[i] <= 0) continue;
    total += spend[i];
    s.n_unique += 1;
    if (top < 0 || spend[i] > spend[top]) top = i;  // strict '>' keeps the smallest index on ties
  }
  if (!(total > 0)) return DimStats{};
  double entropy = 0;
  for (int i = 0; i < n; ++i) {
    if (spend[i] <= 0) continue;
    const double share = spend[i] / total;
    entropy -= share * std::log(share);
  }
  s.total_spend = total;
  s.entropy = entropy;
  s.top1_share = spend[top] / total;
  s.top1_index = top;
  return s;
}

}  // namespace elv::table
