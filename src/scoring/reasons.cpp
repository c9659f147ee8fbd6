#include "scoring/reasons.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "scoring/feature_words.h"

namespace elv::scoring {

void pick_top(const double* c, int32_t n, Contribution* out) {
  constexpr int k = kReasonsPerSide;
  std::fill(out, out + 2 * k, Contribution{});
  Contribution* up = out;
  Contribution* down = out + k;
  // Insertion into two sorted arrays of k: n is a few dozen, k is 3.
  for (int32_t j = 0; j < n; ++j) {
    const double v = c[j];
    if (!(std::abs(v) >= kMinReasonContribution)) continue;
    Contribution* side = v > 0 ? up : down;
    auto better = [&](const Contribution& s) {
      return s.column < 0 || (v > 0 ? v > s.value : v < s.value);
    };
    int at = 0;
    while (at < k && !better(side[at])) ++at;
    if (at == k) continue;
    for (int m = k - 1; m > at; --m) side[m] = side[m - 1];
    side[at] = {j, static_cast<float>(v)};
  }
}

namespace {

std::string without_semicolons(std::string s) {
  std::replace(s.begin(), s.end(), ';', ',');
  return s;
}

}  // namespace

std::string reasons_text(const TopContributions& top, int64_t i, const table::LeadTable& t,
                         int64_t row) {
  std::string out;
  const Contribution* slots = top.row(i);
  for (int s = 0; s < 2 * kReasonsPerSide; ++s) {
    const Contribution& c = slots[s];
    if (c.column < 0) continue;
    const std::string& name = top.names[static_cast<size_t>(c.column)];
    const FeatureWords words = describe_feature(name);
    const int f = t.feature_index(name);
    const std::string value = f < 0 ? ""
                                    : describe_value(words, t.features[static_cast<size_t>(f)][row],
                                                     top.reference[static_cast<size_t>(c.column)]);
    if (!out.empty()) out += "; ";
    out += without_semicolons(words.label);
    if (!value.empty()) out += " " + value;
    char buf[24];
    std::snprintf(buf, sizeof buf, " (%+.2f)", static_cast<double>(c.value));
    out += buf;
  }
  return out;
}

std::vector<Driver> top_drivers(const TopContributions& top, size_t max) {
  std::vector<Driver> out;
  for (size_t k = 0; k < top.names.size() && k < top.mean_abs.size(); ++k)
    out.push_back({top.names[k], describe_feature(top.names[k]).label, top.mean_abs[k]});
  std::sort(out.begin(), out.end(), [](const Driver& a, const Driver& b) {
    if (a.mean_abs_contribution != b.mean_abs_contribution)
      return a.mean_abs_contribution > b.mean_abs_contribution;
    return a.feature < b.feature;
  });
  if (out.size() > max) out.resize(max);
  return out;
}

}  // namespace elv::scoring
