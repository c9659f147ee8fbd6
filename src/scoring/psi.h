// Population stability index (docs/CONTRACT.md §5, §6): how far a feature's distribution in a new
// table has moved from the training reference.
//
// Binning, shared by the reference and every comparison:
//  - inner cut points (edges) are the reference's quantiles at k/bins, k = 1..bins−1, by the
//    inverted CDF (the smallest observed value with a share ≥ k/bins of values ≤ it; no
//    interpolation, so edges are observed values), de-duplicated, and any edge equal to the
//    reference maximum dropped (the bin above it would be empty by construction);
//  - bins are right-closed: bin i = number of edges strictly below v, so a value equal to
//    an edge belongs to the lower bin, (e_{i−1}, e_i] — the quantile convention "a share q
//    of the values is ≤ Q(q)". Together with the quantile rule, every value bin of the
//    reference is non-empty;
//  - one extra final bin holds missing values (NaN or ±infinity), so a change in the
//    missing rate counts as drift. Shares are over all values, missing included.
// A constant feature ends up with no edges (one value bin + the missing bin); an all-missing
// feature has expected = [0, 1].
#pragma once
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace elv::scoring {

struct PsiReference {
  std::string feature;
  std::vector<double> edges;     // strictly increasing, finite, at most bins − 1
  std::vector<double> expected;  // share per bin; size edges.size() + 2 (last = missing)
  // How far the feature moved within the training period (psi_over_time); NaN when unknown
  // (bundles written before it was recorded). scoring/drift_policy.h judges drift against it.
  double expected_psi = std::numeric_limits<double>::quiet_NaN();
};

// bins ≥ 1. Empty values give expected all zero, for which psi() returns NaN.
PsiReference psi_reference(const std::string& feature, const std::vector<double>& values,
                           int bins = 10);

// Σ (a − e) · ln((a + eps) / (e + eps)) over all bins, missing bin included. NaN if actual
// is empty or the reference holds no rows. Throws elv::Error on an inconsistent reference.
double psi(const PsiReference& ref, const std::vector<double>& actual, double eps = 1e-6);

// The PSI of the second half of values_in_time_order against the first: how much a feature
// moves over time on its own. NaN with fewer than 2 values.
double psi_over_time(const std::vector<double>& values_in_time_order, int bins = 10);

// {"feature":..,"edges":[..],"expected":[..]}, and "expected_psi" when known
nlohmann::json to_json(const PsiReference& ref);
// Throws elv::Error naming what is wrong on a malformed object.
PsiReference psi_reference_from_json(const nlohmann::json& j);

}  // namespace elv::scoring
