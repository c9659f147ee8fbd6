// The static enrichments, one row per ad or ad set: ad_creatives.csv and
// adset_targeting.csv. Small: written with the project's csv::Writer.
#include <algorithm>

#include "base/logistic.h"
#include "demo/generator_parts.h"
#include "io/csv_writer.h"

namespace elv::demo::detail {

void write_ad_creatives(const std::string& path, const DemoDataSpec& spec, const Entities& e) {
  Rng rng(spec.seed, kCreatives, 0);
  csv::Writer w(path);
  w.field("ad_id").field("creative_type").end_row();
  for (size_t ad = 0; ad < e.n_ads(); ++ad) {
    // Higher quality is a little more likely to be video.
    const double p_video = std::clamp(sigmoid(e.ad_quality[ad]), 0.15, 0.85);
    std::string_view type = rng.uniform() < p_video ? "video" : "image";
    if (rng.uniform() < 0.05) type = "carousel";
    w.field(e.ad_id[ad]).field(type).end_row();
  }
  w.close();
}

// k distinct items of `pool`, in draw order (a partial Fisher–Yates shuffle).
template <class T>
std::vector<T> choose_distinct(Rng& rng, std::vector<T> pool, size_t k) {
  k = std::min(k, pool.size());
  for (size_t i = 0; i < k; ++i) {
    const size_t j = i + static_cast<size_t>(rng.uniform_int(pool.size() - i));
    std::swap(pool[i], pool[j]);
  }
  pool.resize(k);
  return pool;
}

// FNV-1a: a stable hash of the campaign id, so a campaign's keyword theme depends on its
// id alone (as the reference's md5-seeded theme does), not on the seed.
uint64_t fnv1a(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

void write_adset_targeting(const std::string& path, const DemoDataSpec& spec, const Entities& e) {
  const std::vector<std::string_view> pool(kKeywordPool.begin(), kKeywordPool.end());
  std::vector<std::vector<std::string_view>> themes;
  for (const auto& cid : e.campaign_id) {
    Rng theme_rng(fnv1a(cid), kTargetingTheme, 0);
    themes.push_back(choose_distinct(theme_rng, pool, kThemeSize));
  }
  Rng rng(spec.seed, kTargeting, 0);
  csv::Writer w(path);
  w.field("adset_id").field("audience_keywords").end_row();
  for (size_t as = 0; as < e.adset_id.size(); ++as) {
    const size_t k = 4 + static_cast<size_t>(rng.uniform_int(6));  // 4..9, as the reference
    const auto& theme = themes[static_cast<size_t>(e.adset_campaign[as])];
    std::string joined;
    for (auto kw : choose_distinct(rng, theme, k)) {
      if (!joined.empty()) joined += ", ";
      joined += kw;
    }
    w.field(e.adset_id[as]).field(joined).end_row();
  }
  w.close();
}

}  // namespace elv::demo::detail
