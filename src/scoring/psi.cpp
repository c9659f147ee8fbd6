#include "scoring/psi.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "io/json_fields.h"

namespace elv::scoring {
namespace {

bool is_missing(double v) { return !std::isfinite(v); }

// Right-closed bins: the number of edges strictly below v; missing goes last.
size_t bin_of(const std::vector<double>& edges, double v) {
  if (is_missing(v)) return edges.size() + 1;
  return std::lower_bound(edges.begin(), edges.end(), v) - edges.begin();
}

// Edge k is the inverted-CDF quantile at k/bins: the smallest observed value with at least
// a share k/bins of the values ≤ it, i.e. sorted[ceil(k·m/bins) − 1] (integer arithmetic,
// so no rounding). Edges are observed values, so with right-closed bins every reference
// bin contains at least its own upper edge: no bin is empty by construction.
std::vector<double> quantile_edges(std::vector<double> present, int bins) {
  std::vector<double> edges;
  if (present.empty()) return edges;
  std::sort(present.begin(), present.end());
  const auto m = static_cast<int64_t>(present.size());
  for (int64_t k = 1; k < bins; ++k) edges.push_back(present[(k * m + bins - 1) / bins - 1]);
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  // An edge at the maximum would leave the bin above it empty in the reference.
  const double maximum = present.back();
  edges.erase(std::remove_if(edges.begin(), edges.end(), [&](double e) { return e >= maximum; }),
              edges.end());
  return edges;
}

std::vector<double> bin_shares(const std::vector<double>& edges,
                               const std::vector<double>& values) {
  std::vector<double> shares(edges.size() + 2, 0.0);
  if (values.empty()) return shares;
  for (double v : values) shares[bin_of(edges, v)] += 1.0;
  for (double& share : shares) share /= static_cast<double>(values.size());
  return shares;
}

void check_reference(const PsiReference& ref) {
  if (ref.expected.size() != ref.edges.size() + 2)
    throw Error("psi reference for '" + ref.feature + "': " + std::to_string(ref.edges.size()) +
                " edges need " + std::to_string(ref.edges.size() + 2) + " expected shares, got " +
                std::to_string(ref.expected.size()));
}

}  // namespace

PsiReference psi_reference(const std::string& feature, const std::vector<double>& values,
                           int bins) {
  if (bins < 1) throw Error("psi reference for '" + feature + "': bins must be at least 1");
  std::vector<double> present;
  present.reserve(values.size());
  for (double v : values)
    if (!is_missing(v)) present.push_back(v);
  PsiReference ref{feature, quantile_edges(std::move(present), bins), {}};
  ref.expected = bin_shares(ref.edges, values);
  return ref;
}

double psi(const PsiReference& ref, const std::vector<double>& actual, double eps) {
  check_reference(ref);
  double reference_total = 0.0;
  for (double e : ref.expected) reference_total += e;
  if (actual.empty() || reference_total == 0.0) return std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> observed = bin_shares(ref.edges, actual);
  double total = 0.0;
  for (size_t i = 0; i < observed.size(); ++i) {
    const double a = observed[i], e = ref.expected[i];
    total += (a - e) * std::log((a + eps) / (e + eps));
  }
  return total;
}

double psi_over_time(const std::vector<double>& values_in_time_order, int bins) {
  const size_t half = values_in_time_order.size() / 2;
  if (half == 0) return std::numeric_limits<double>::quiet_NaN();
  const auto mid = values_in_time_order.begin() + static_cast<std::ptrdiff_t>(half);
  const PsiReference early =
      psi_reference("", std::vector<double>(values_in_time_order.begin(), mid), bins);
  return psi(early, std::vector<double>(mid, values_in_time_order.end()));
}

nlohmann::json to_json(const PsiReference& ref) {
  nlohmann::json j = {{"feature", ref.feature}, {"edges", ref.edges}, {"expected", ref.expected}};
  if (std::isfinite(ref.expected_psi)) j["expected_psi"] = ref.expected_psi;
  return j;
}

PsiReference psi_reference_from_json(const nlohmann::json& document) {
  const io::JsonFields j(document, "psi reference");
  PsiReference ref{j.string("feature"), j.finite_numbers("edges"), j.finite_numbers("expected")};
  for (size_t i = 1; i < ref.edges.size(); ++i)
    if (!(ref.edges[i] > ref.edges[i - 1]))
      throw Error("psi reference for '" + ref.feature + "': edges must be strictly increasing");
  for (double e : ref.expected)
    if (e < 0.0)
      throw Error("psi reference for '" + ref.feature + "': expected shares must be >= 0");
  check_reference(ref);
  if (document.contains("expected_psi")) {
    const auto& e = document.at("expected_psi");
    if (!e.is_number() || !std::isfinite(e.get<double>()) || e.get<double>() < 0.0)
      throw Error("psi reference for '" + ref.feature + "': expected_psi must be a number >= 0");
    ref.expected_psi = e.get<double>();
  }
  return ref;
}

}  // namespace elv::scoring
