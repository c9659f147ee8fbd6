#include "model/explain.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <variant>

#include "base/parallel.h"

namespace elv::model {

namespace {

// The one-hot coefficient of `id` in a sorted vocabulary whose coefficients start at
// `offset`; 0 for a missing or unseen ID (its block is all zero).
double one_hot_coefficient(const std::vector<std::string>& vocab, const std::vector<double>& coef,
                           size_t offset, const std::string& id) {
  const auto it = std::lower_bound(vocab.begin(), vocab.end(), id);
  if (it == vocab.end() || *it != id) return 0.0;
  return coef[offset + static_cast<size_t>(it - vocab.begin())];
}

constexpr size_t kExplainBlock = 1 << 14;

}  // namespace

double ContributionMatrix::margin(int64_t i) const {
  double sum = base[static_cast<size_t>(i)];
  for (size_t k = 0; k < names.size(); ++k) sum += at(i, k);
  return sum;
}

ContributionMatrix logreg_contributions(const LogregModel& m, const FeatureMatrix& X,
                                        const std::vector<std::string>& campaign,
                                        const std::vector<std::string>& adset) {
  X.check_shape();
  const LogregPreprocess& pre = m.preprocess();
  X.check_names(pre.feature_names, "logreg");
  if (campaign.size() != static_cast<size_t>(X.rows) || adset.size() != campaign.size())
    throw Error("logreg: campaign and ad set IDs must line up with the rows");
  const size_t p = pre.n_numeric(), width = p + 2;
  ContributionMatrix c;
  c.names = pre.feature_names;
  c.names.push_back("campaign_id");
  c.names.push_back("adset_id");
  c.rows = X.rows;
  c.values.assign(static_cast<size_t>(X.rows) * width, 0.0);
  c.base.assign(static_cast<size_t>(X.rows), m.intercept());
  const std::vector<double>& coef = m.coefficients();
  for (size_t j = 0; j < p; ++j) {
    const LogregPreprocess::Scaler scale = pre.scaler(j);
    const double w = coef[j];
    X.with_column(j, [&](auto col) {
      for (int64_t i = 0; i < X.rows; ++i)
        c.values[static_cast<size_t>(i) * width + j] = w * scale(col(i));
    });
  }
  const size_t adset_offset = p + pre.campaign_vocab.size();
  for (int64_t i = 0; i < X.rows; ++i) {
    double* row = c.values.data() + static_cast<size_t>(i) * width;
    row[p] = one_hot_coefficient(pre.campaign_vocab, coef, p, campaign[static_cast<size_t>(i)]);
    row[p + 1] =
        one_hot_coefficient(pre.adset_vocab, coef, adset_offset, adset[static_cast<size_t>(i)]);
  }
  return c;
}

ContributionMatrix gbdt_contributions(const GbdtModel& m, const FeatureMatrix& X,
                                      bool approximate) {
  const std::vector<float> shap = m.contributions(X, approximate);
  const size_t p = m.feature_names().size();
  ContributionMatrix c;
  c.names = m.feature_names();
  c.rows = X.rows;
  c.values.resize(static_cast<size_t>(X.rows) * p);
  c.base.resize(static_cast<size_t>(X.rows));
  for (size_t i = 0; i < static_cast<size_t>(X.rows); ++i) {
    const float* row = shap.data() + i * (p + 1);
    std::copy(row, row + p, c.values.begin() + static_cast<std::ptrdiff_t>(i * p));
    c.base[i] = row[p];
  }
  return c;
}

ContributionMatrix contributions(const ModelBundle& b, const table::LeadTable& t,
                                 const std::vector<int64_t>* rows, bool approximate) {
  const FeatureMatrix X = feature_view(t, b.features, rows);
  if (const auto* lr = std::get_if<std::shared_ptr<const LogregModel>>(&b.model); lr && *lr)
    return logreg_contributions(**lr, X, id_strings(t, "campaign_id", rows),
                                id_strings(t, "adset_id", rows));
  if (const auto* gb = std::get_if<std::shared_ptr<const GbdtModel>>(&b.model); gb && *gb)
    return gbdt_contributions(**gb, X, approximate);
  throw Error("the model bundle holds no fitted model");
}

std::vector<std::string> contribution_names(const ModelBundle& b) {
  std::vector<std::string> names = b.features;
  if (std::holds_alternative<std::shared_ptr<const LogregModel>>(b.model)) {
    names.push_back("campaign_id");
    names.push_back("adset_id");
  }
  return names;
}

std::vector<double> reference_values(const ModelBundle& b) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> ref(contribution_names(b).size(), nan);
  if (const auto* lr = std::get_if<std::shared_ptr<const LogregModel>>(&b.model)) {
    const auto& means = (*lr)->preprocess().means;
    std::copy(means.begin(), means.end(), ref.begin());
  } else if (b.feature_medians.size() == b.features.size()) {
    std::copy(b.feature_medians.begin(), b.feature_medians.end(), ref.begin());
  }
  return ref;
}

std::vector<double> column_medians(const FeatureMatrix& X) {
  std::vector<double> out;
  std::vector<double> values;
  for (size_t j = 0; j < static_cast<size_t>(X.cols()); ++j) {
    values.clear();
    X.with_column(j, [&](auto col) {
      for (int64_t i = 0; i < X.rows; ++i)
        if (const double v = col(i); !std::isnan(v)) values.push_back(v);
    });
    if (values.empty()) {
      out.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    // The lower median: an observed value, as the drift reference's quantiles are.
    const auto mid = values.begin() + static_cast<std::ptrdiff_t>((values.size() - 1) / 2);
    std::nth_element(values.begin(), mid, values.end());
    out.push_back(*mid);
  }
  return out;
}

scoring::TopContributions top_contributions(const ModelBundle& b, const table::LeadTable& t,
                                            const std::vector<int64_t>* rows, int threads) {
  scoring::TopContributions top;
  top.names = contribution_names(b);
  top.reference = reference_values(b);
  const size_t n = rows ? rows->size() : static_cast<size_t>(t.n);
  const size_t width = top.names.size(), per_row = 2 * scoring::kReasonsPerSide;
  top.rows = static_cast<int64_t>(n);
  bool approximate = false;
  int workers = resolve_threads(threads);
  if (const auto* gb = std::get_if<std::shared_ptr<const GbdtModel>>(&b.model); gb && *gb) {
    approximate = static_cast<int64_t>(n) * (*gb)->n_trees() > kExactShapBudget;
    top.method = approximate ? "saabas" : "tree_shap";
    workers = 1;  // XGBoost spreads each block over the cores itself
  } else {
    top.method = "linear";
  }
  top.slots.resize(n * per_row);
  std::vector<double> abs_sum(width, 0.0);
  // Blocks in waves of one per worker; each block's rows are independent of the others.
  const size_t n_blocks = (n + kExplainBlock - 1) / kExplainBlock;
  std::vector<ContributionMatrix> wave(static_cast<size_t>(workers));
  for (size_t first = 0; first < n_blocks; first += wave.size()) {
    const size_t in_wave = std::min(wave.size(), n_blocks - first);
    for_each_interleaved(static_cast<int64_t>(in_wave), workers, [&](int64_t w) {
      const size_t begin = (first + static_cast<size_t>(w)) * kExplainBlock;
      const size_t end = std::min(n, begin + kExplainBlock);
      std::vector<int64_t> block;
      block.reserve(end - begin);
      for (size_t i = begin; i < end; ++i)
        block.push_back(rows ? (*rows)[i] : static_cast<int64_t>(i));
      ContributionMatrix& c = wave[static_cast<size_t>(w)];
      c = contributions(b, t, &block, approximate);
      for (size_t i = 0; i < block.size(); ++i)
        scoring::pick_top(c.values.data() + i * width, static_cast<int32_t>(width),
                          top.slots.data() + (begin + i) * per_row);
    });
    // |contribution| summed row after row, as on one thread: metrics.json's drivers do not
    // depend on the thread count, to the last bit.
    for (size_t w = 0; w < in_wave; ++w)
      for (size_t i = 0; i < static_cast<size_t>(wave[w].rows); ++i) {
        const double* row = wave[w].values.data() + i * width;
        for (size_t k = 0; k < width; ++k) abs_sum[k] += std::abs(row[k]);
      }
  }
  top.mean_abs.resize(width);
  for (size_t k = 0; k < width; ++k)
    top.mean_abs[k] = n ? abs_sum[k] / static_cast<double>(n) : 0.0;
  return top;
}

}  // namespace elv::model
