#include "creative/similarity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <Eigen/Core>

#include "base/parallel.h"

namespace elv::creative {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRowMap = Eigen::Map<const RowMatrix>;

// Rows per block of the similarity product: a block of 256 rows against 10,000 creatives is
// at most 10 MB of floats, so the full n x n matrix (400 MB at n = 10,000) never exists.
constexpr size_t kBlockRows = 256;

// Row-normalised copy: embeddings should already have norm 1, but a cosine that silently
// turned into a dot product would be wrong without any sign. Zero rows stay zero.
RowMatrix normalised(const Embeddings& e) {
  RowMatrix x =
      ConstRowMap(e.values.data(), static_cast<Eigen::Index>(e.n), static_cast<Eigen::Index>(e.d));
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const float norm = x.row(i).norm();
    if (norm > 0) x.row(i) /= norm;
  }
  return x;
}

// More similar first; equal similarities: the lower row first.
bool before(const Neighbor& a, const Neighbor& b) {
  return a.similarity != b.similarity ? a.similarity > b.similarity : a.index < b.index;
}

// Keeps list the k first candidates in `before` order: one comparison for most candidates.
void offer(std::vector<Neighbor>& list, size_t k, Neighbor c) {
  if (list.size() == k && !before(c, list.back())) return;
  list.insert(std::upper_bound(list.begin(), list.end(), c, before), c);
  if (list.size() > k) list.pop_back();
}

// splitmix64 (Steele, Lea and Flood 2014): a tiny generator of our own, so the clusters
// depend on the seed alone, not on the standard library's distributions.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1), from the top 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  size_t below(size_t n) { return static_cast<size_t>(uniform() * static_cast<double>(n)); }

 private:
  uint64_t state_;
};

double squared_distance(const float* a, const float* b, size_t d) {
  double s = 0;
  for (size_t j = 0; j < d; ++j) {
    const double diff = static_cast<double>(a[j]) - b[j];
    s += diff * diff;
  }
  return s;
}

// k-means++ (Arthur and Vassilvitskii 2007): the first centre uniformly, each next one with
// probability proportional to the squared distance to the nearest centre chosen so far.
RowMatrix seed_centres(const RowMatrix& x, size_t k, SplitMix64& rng) {
  const size_t n = static_cast<size_t>(x.rows());
  RowMatrix c(static_cast<Eigen::Index>(k), x.cols());
  Eigen::VectorXf nearest =
      Eigen::VectorXf::Constant(x.rows(), std::numeric_limits<float>::infinity());
  size_t pick = rng.below(n);
  for (size_t m = 0; m < k; ++m) {
    c.row(static_cast<Eigen::Index>(m)) = x.row(static_cast<Eigen::Index>(pick));
    nearest = nearest.cwiseMin(
        (x.rowwise() - c.row(static_cast<Eigen::Index>(m))).rowwise().squaredNorm());
    if (m + 1 == k) break;
    double total = 0;
    for (size_t i = 0; i < n; ++i) total += nearest(static_cast<Eigen::Index>(i));
    if (total <= 0) {  // fewer distinct points than k: any point will do
      pick = rng.below(n);
      continue;
    }
    const double target = rng.uniform() * total;
    double running = 0;
    pick = n - 1;
    for (size_t i = 0; i < n; ++i) {
      running += nearest(static_cast<Eigen::Index>(i));
      if (running > target && nearest(static_cast<Eigen::Index>(i)) > 0) {
        pick = i;
        break;
      }
    }
  }
  return c;
}

struct Run {
  std::vector<int> cluster;
  RowMatrix centres;
  double inertia = std::numeric_limits<double>::infinity();
};

double distance(const RowMatrix& x, size_t i, const RowMatrix& c, int m) {
  return std::sqrt(
      static_cast<double>((x.row(static_cast<Eigen::Index>(i)) - c.row(m)).squaredNorm()));
}

// For rows `todo` of x: the nearest centre (ties: the lower index) and the distances to the
// nearest two, from one product of those rows with the centres (|x|^2 - 2 x.c + |c|^2).
struct NearestTwo {
  int best = 0;
  double first = std::numeric_limits<double>::infinity();
  double second = std::numeric_limits<double>::infinity();
};
std::vector<NearestTwo> nearest_two(const RowMatrix& x, const Eigen::VectorXf& x_norm2,
                                    const std::vector<size_t>& todo, const RowMatrix& c) {
  RowMatrix rows(static_cast<Eigen::Index>(todo.size()), x.cols());
  for (size_t r = 0; r < todo.size(); ++r)
    rows.row(static_cast<Eigen::Index>(r)) = x.row(static_cast<Eigen::Index>(todo[r]));
  const RowMatrix dots = rows * c.transpose();
  const Eigen::VectorXf c_norm2 = c.rowwise().squaredNorm();
  std::vector<NearestTwo> out(todo.size());
  for (size_t r = 0; r < todo.size(); ++r) {
    NearestTwo& t = out[r];
    const float xn = x_norm2(static_cast<Eigen::Index>(todo[r]));
    for (Eigen::Index m = 0; m < c.rows(); ++m) {
      const double dist = std::sqrt(std::max(
          0.0, static_cast<double>(xn - 2 * dots(static_cast<Eigen::Index>(r), m) + c_norm2(m))));
      if (dist < t.first) {
        t.second = t.first;
        t.first = dist;
        t.best = static_cast<int>(m);
      } else if (dist < t.second) {
        t.second = dist;
      }
    }
  }
  return out;
}

// Centres as the means of their rows.
void means(const RowMatrix& x, const std::vector<int>& cluster, RowMatrix& c) {
  std::vector<size_t> count(static_cast<size_t>(c.rows()), 0);
  c.setZero();
  for (size_t i = 0; i < cluster.size(); ++i) {
    c.row(cluster[i]) += x.row(static_cast<Eigen::Index>(i));
    ++count[static_cast<size_t>(cluster[i])];
  }
  for (size_t m = 0; m < count.size(); ++m)
    if (count[m] > 0) c.row(static_cast<Eigen::Index>(m)) /= static_cast<float>(count[m]);
}

// An empty cluster takes the row farthest from its own centre among clusters of two or more
// rows. Returns the rows moved (their bounds are stale).
std::vector<size_t> reseed_empty(const RowMatrix& x, std::vector<int>& cluster,
                                 const RowMatrix& c) {
  const size_t k = static_cast<size_t>(c.rows());
  std::vector<size_t> count(k, 0), moved;
  for (int m : cluster) ++count[static_cast<size_t>(m)];
  if (std::find(count.begin(), count.end(), size_t{0}) == count.end()) return moved;
  std::vector<double> dist(cluster.size());
  for (size_t i = 0; i < cluster.size(); ++i) dist[i] = distance(x, i, c, cluster[i]);
  for (size_t m = 0; m < k; ++m) {
    if (count[m] > 0) continue;
    size_t far = cluster.size();
    for (size_t i = 0; i < cluster.size(); ++i)
      if (count[static_cast<size_t>(cluster[i])] > 1 &&
          (far == cluster.size() || dist[i] > dist[far]))
        far = i;
    if (far == cluster.size()) break;  // no row can move: the cluster stays empty
    --count[static_cast<size_t>(cluster[far])];
    cluster[far] = static_cast<int>(m);
    dist[far] = 0;
    ++count[m];
    moved.push_back(far);
  }
  return moved;
}

// Lloyd's iterations, with Hamerly's bounds (Hamerly 2010) to skip the rows that cannot
// change cluster: per row an upper bound on the distance to its centre and a lower bound on
// the distance to any other; a row is looked at again only when the centres' moves could
// have made another centre nearer. The assignments are those of plain Lloyd; on 10,000
// embeddings most rows are skipped after the first few iterations (bench/RESULTS.md).
Run lloyd(const RowMatrix& x, size_t k, uint64_t seed, int max_iterations) {
  SplitMix64 rng(seed);
  Run run;
  run.centres = seed_centres(x, k, rng);
  const size_t n = static_cast<size_t>(x.rows());
  run.cluster.assign(n, 0);
  std::vector<double> upper(n), lower(n);
  const Eigen::VectorXf x_norm2 = x.rowwise().squaredNorm();
  std::vector<size_t> todo(n);
  std::iota(todo.begin(), todo.end(), size_t{0});
  const auto settle = [&](bool& changed) {
    const std::vector<NearestTwo> t = nearest_two(x, x_norm2, todo, run.centres);
    for (size_t r = 0; r < todo.size(); ++r) {
      const size_t i = todo[r];
      if (t[r].best != run.cluster[i]) changed = true;
      run.cluster[i] = t[r].best;
      upper[i] = t[r].first;
      lower[i] = t[r].second;
    }
  };
  bool first_pass = false;
  settle(first_pass);
  RowMatrix old(run.centres.rows(), run.centres.cols());
  std::vector<double> moved_by(k), half_gap(k);
  for (int it = 0; it < max_iterations; ++it) {
    old = run.centres;
    bool changed = false;
    for (size_t i : reseed_empty(x, run.cluster, run.centres)) {
      upper[i] = std::numeric_limits<double>::infinity();  // looked at again below
      lower[i] = 0;
      changed = true;
    }
    means(x, run.cluster, run.centres);
    double most = 0, next = 0;
    int most_at = -1;
    for (size_t m = 0; m < k; ++m) {
      const auto mi = static_cast<Eigen::Index>(m);
      moved_by[m] =
          std::sqrt(static_cast<double>((run.centres.row(mi) - old.row(mi)).squaredNorm()));
      if (moved_by[m] > most) {
        next = most;
        most = moved_by[m];
        most_at = static_cast<int>(m);
      } else if (moved_by[m] > next) {
        next = moved_by[m];
      }
      half_gap[m] = std::numeric_limits<double>::infinity();
      for (size_t o = 0; o < k; ++o)
        if (o != m)
          half_gap[m] = std::min(half_gap[m],
                                 0.5 * distance(run.centres, m, run.centres, static_cast<int>(o)));
    }
    todo.clear();
    for (size_t i = 0; i < n; ++i) {
      const int a = run.cluster[i];
      upper[i] += moved_by[static_cast<size_t>(a)];
      lower[i] -= a == most_at ? next : most;
      // A small margin: bounds are sums of rounded distances.
      const double bound = std::max(half_gap[static_cast<size_t>(a)], lower[i]) * (1 - 1e-5);
      if (upper[i] <= bound) continue;
      upper[i] = distance(x, i, run.centres, a);
      if (upper[i] > bound) todo.push_back(i);
    }
    settle(changed);
    if (!changed) break;
  }
  // The centres of the final assignment, and its inertia in double precision.
  means(x, run.cluster, run.centres);
  run.inertia = 0;
  for (size_t i = 0; i < n; ++i)
    run.inertia += squared_distance(&x(static_cast<Eigen::Index>(i), 0),
                                    &run.centres(run.cluster[i], 0), static_cast<size_t>(x.cols()));
  return run;
}

}  // namespace

std::vector<std::vector<Neighbor>> nearest_neighbors(const Embeddings& e, size_t k, int threads) {
  std::vector<std::vector<Neighbor>> out(e.n);
  if (e.n < 2) return out;
  k = std::min(k, e.n - 1);
  if (k == 0) return out;
  const RowMatrix x = normalised(e);
  // The similarity matrix is symmetric, so each block of rows is multiplied only by the
  // columns from its own first row on (half the products of the full matrix): row i takes
  // candidate j from that product and, for j past the block, row j takes candidate i. Each
  // worker keeps its own lists; they are merged at the end, and since a list keeps the k first
  // in a total order (similarity, then index), the result does not depend on the thread count.
  const size_t blocks = (e.n + kBlockRows - 1) / kBlockRows;
  const int workers = static_cast<int>(
      std::clamp<int64_t>(resolve_threads(threads), 1, static_cast<int64_t>(blocks)));
  std::vector<std::vector<std::vector<Neighbor>>> lists(static_cast<size_t>(workers));
  run_workers(workers, [&](int t) {
    auto& mine = lists[static_cast<size_t>(t)];
    mine.assign(e.n, {});
    for (auto& l : mine) l.reserve(k + 1);
    for (size_t b = static_cast<size_t>(t); b < blocks; b += static_cast<size_t>(workers)) {
      const size_t begin = b * kBlockRows;
      const size_t rows = std::min(kBlockRows, e.n - begin);
      const auto cols = static_cast<Eigen::Index>(e.n - begin);
      const RowMatrix sims =
          x.middleRows(static_cast<Eigen::Index>(begin), static_cast<Eigen::Index>(rows)) *
          x.middleRows(static_cast<Eigen::Index>(begin), cols).transpose();
      for (size_t r = 0; r < rows; ++r) {
        const size_t i = begin + r;
        const float* s = &sims(static_cast<Eigen::Index>(r), 0);
        for (size_t c = 0; c < static_cast<size_t>(cols); ++c) {
          const size_t j = begin + c;
          if (j == i) continue;
          offer(mine[i], k, {j, s[c]});
          if (c >= rows) offer(mine[j], k, {i, s[c]});
        }
      }
    }
  });
  for (size_t i = 0; i < e.n; ++i) {
    std::vector<Neighbor> merged;
    for (const auto& l : lists) merged.insert(merged.end(), l[i].begin(), l[i].end());
    std::sort(merged.begin(), merged.end(), before);
    merged.resize(std::min(merged.size(), k));
    out[i] = std::move(merged);
  }
  return out;
}

Clustering kmeans(const Embeddings& e, const KMeansOptions& options) {
  Clustering result;
  if (e.n == 0) return result;
  const size_t k = std::clamp<size_t>(options.k, 1, e.n);
  const RowMatrix x =
      ConstRowMap(e.values.data(), static_cast<Eigen::Index>(e.n), static_cast<Eigen::Index>(e.d));
  // Restart r starts from seed + r, so kmeans(seed s, restarts R) keeps the best of
  // kmeans(seed s + r, restarts 1) for r < R, whatever the thread count.
  const int restarts = std::max(options.restarts, 1);
  std::vector<Run> runs(static_cast<size_t>(restarts));
  for_each_interleaved(restarts, resolve_threads(options.threads), [&](int64_t r) {
    runs[static_cast<size_t>(r)] =
        lloyd(x, k, options.seed + static_cast<uint64_t>(r), options.max_iterations);
  });
  size_t best = 0;
  for (size_t r = 1; r < runs.size(); ++r)
    if (runs[r].inertia < runs[best].inertia) best = r;
  const Run& run = runs[best];

  // Renumber: largest cluster first, ties by the lowest row each holds; empty ones dropped.
  std::vector<size_t> size(k, 0), first_row(k, e.n);
  for (size_t i = 0; i < e.n; ++i) {
    const auto m = static_cast<size_t>(run.cluster[i]);
    ++size[m];
    first_row[m] = std::min(first_row[m], i);
  }
  std::vector<size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return size[a] != size[b] ? size[a] > size[b] : first_row[a] < first_row[b];
  });
  std::vector<int> new_id(k, -1);
  for (size_t m = 0; m < k && size[order[m]] > 0; ++m) new_id[order[m]] = static_cast<int>(m);
  result.k =
      static_cast<size_t>(std::count_if(size.begin(), size.end(), [](size_t s) { return s > 0; }));
  result.centroids.assign(result.k * e.d, 0);
  for (size_t m = 0; m < k; ++m)
    if (new_id[m] >= 0)
      std::copy_n(
          &run.centres(static_cast<Eigen::Index>(m), 0), e.d,
          result.centroids.begin() + static_cast<ptrdiff_t>(static_cast<size_t>(new_id[m]) * e.d));
  result.cluster.resize(e.n);
  result.distance_to_centroid.resize(e.n);
  for (size_t i = 0; i < e.n; ++i) {
    const int m = new_id[static_cast<size_t>(run.cluster[i])];
    result.cluster[i] = m;
    result.distance_to_centroid[i] = static_cast<float>(std::sqrt(squared_distance(
        &e.values[i * e.d], &result.centroids[static_cast<size_t>(m) * e.d], e.d)));
  }
  result.inertia = run.inertia;
  return result;
}

}  // namespace elv::creative
