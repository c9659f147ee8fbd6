#include "scoring/reasons.h"

#include <algorithm>
#include <charconv>
#include <cmath>

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

// Appends " (+0.42)": printf's "%+.2f" (both round the exact binary value to nearest, ties
// to even; a unit test holds them together) without printf's cost, six times per lead.
void append_signed_two_decimals(std::string& out, float value) {
  char buf[48] = " (";
  char* p = buf + 2;
  if (!std::signbit(value)) *p++ = '+';
  p = std::to_chars(p, buf + sizeof buf - 1, static_cast<double>(value), std::chars_format::fixed,
                    2)
          .ptr;
  *p++ = ')';
  out.append(buf, p);
}

}  // namespace

ReasonsText::ReasonsText(const TopContributions& top, const table::LeadTable& t) : top_(top) {
  columns_.reserve(top.names.size());
  for (size_t k = 0; k < top.names.size(); ++k) {
    Column c;
    c.words = describe_feature(top.names[k]);
    c.label = without_semicolons(c.words.label);
    const int f = t.feature_index(top.names[k]);
    if (f >= 0) c.values = &t.features[static_cast<size_t>(f)];
    c.reference = k < top.reference.size() ? top.reference[k] : std::nan("");
    columns_.push_back(std::move(c));
  }
}

std::string ReasonsText::operator()(int64_t i, int64_t row) const {
  std::string out;
  const Contribution* slots = top_.row(i);
  for (int s = 0; s < 2 * kReasonsPerSide; ++s) {
    const Contribution& c = slots[s];
    if (c.column < 0) continue;
    const Column& column = columns_[static_cast<size_t>(c.column)];
    if (!out.empty()) out += "; ";
    out += column.label;
    if (column.values) {
      const std::string value = describe_value(
          column.words, (*column.values)[static_cast<size_t>(row)], column.reference);
      if (!value.empty()) out.append(" ").append(value);
    }
    append_signed_two_decimals(out, c.value);
  }
  return out;
}

std::string reasons_text(const TopContributions& top, int64_t i, const table::LeadTable& t,
                         int64_t row) {
  return ReasonsText(top, t)(i, row);
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
