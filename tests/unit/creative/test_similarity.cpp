// Neighbours against a brute-force cosine, k-means on well-separated blobs, determinism and
// the best-of-restarts rule.
#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "creative/similarity.h"

namespace elv::creative {
namespace {

// n random rows of dimension d, normalised; a fixed std::mt19937 (the test's own data, so
// the standard library's generator is fine here).
Embeddings random_embeddings(size_t n, size_t d, uint32_t seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> normal;
  Embeddings e{n, d, std::vector<float>(n * d)};
  for (size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (size_t j = 0; j < d; ++j) {
      e.values[i * d + j] = normal(gen);
      norm += double(e.values[i * d + j]) * e.values[i * d + j];
    }
    for (size_t j = 0; j < d; ++j) e.values[i * d + j] /= static_cast<float>(std::sqrt(norm));
  }
  return e;
}

// `families` blobs of `per` rows around random centres, rows shuffled so a family's rows are
// not contiguous: row i belongs to family truth[i].
Embeddings blobs(size_t families, size_t per, size_t d, std::vector<int>& truth) {
  const Embeddings centres = random_embeddings(families, d, 99);
  std::mt19937 gen(5);
  std::normal_distribution<float> noise(0, 0.02f);
  std::vector<size_t> order(families * per);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), gen);
  Embeddings e{order.size(), d, std::vector<float>(order.size() * d)};
  truth.assign(order.size(), -1);
  for (size_t i = 0; i < order.size(); ++i) {
    const size_t f = order[i] / per;
    truth[i] = static_cast<int>(f);
    double norm = 0;
    for (size_t j = 0; j < d; ++j) {
      float v = centres.values[f * d + j] + noise(gen);
      e.values[i * d + j] = v;
      norm += double(v) * v;
    }
    for (size_t j = 0; j < d; ++j) e.values[i * d + j] /= static_cast<float>(std::sqrt(norm));
  }
  return e;
}

TEST(CreativeNeighbors, MatchBruteForceCosine) {
  // 600 rows: more than two blocks of the product, the last one partial.
  const Embeddings e = random_embeddings(600, 24, 1);
  const size_t k = 7;
  const auto got = nearest_neighbors(e, k, 2);
  ASSERT_EQ(got.size(), e.n);
  for (size_t i = 0; i < e.n; ++i) {
    std::vector<std::pair<double, size_t>> all;
    for (size_t j = 0; j < e.n; ++j) {
      if (j == i) continue;
      double dot = 0;
      for (size_t c = 0; c < e.d; ++c) dot += double(e.values[i * e.d + c]) * e.values[j * e.d + c];
      all.push_back({-dot, j});
    }
    std::sort(all.begin(), all.end());
    ASSERT_EQ(got[i].size(), k);
    for (size_t r = 0; r < k; ++r) {
      EXPECT_EQ(got[i][r].index, all[r].second) << "row " << i << " rank " << r;
      EXPECT_NEAR(got[i][r].similarity, -all[r].first, 1e-5);
    }
  }
}

TEST(CreativeNeighbors, TiesLowerIndexFirstAndKCapped) {
  // Rows 1, 2 and 3 are identical: each one's neighbours are the other two, lower index first.
  Embeddings e{4, 2, {1, 0, 0, 1, 0, 1, 0, 1}};
  const auto got = nearest_neighbors(e, 10, 1);
  ASSERT_EQ(got[2].size(), 3u);  // capped at n - 1
  EXPECT_EQ(got[2][0].index, 1u);
  EXPECT_EQ(got[2][1].index, 3u);
  EXPECT_EQ(got[2][2].index, 0u);
  EXPECT_FLOAT_EQ(got[2][0].similarity, 1.0f);
  EXPECT_FLOAT_EQ(got[2][2].similarity, 0.0f);
  EXPECT_EQ(got[0][0].index, 1u);  // all three tie at 0 for row 0
  EXPECT_TRUE(nearest_neighbors(Embeddings{1, 2, {1, 0}}, 5)[0].empty());
}

TEST(CreativeNeighbors, SameForAnyThreadCount) {
  const Embeddings e = random_embeddings(700, 16, 3);
  const auto one = nearest_neighbors(e, 5, 1), two = nearest_neighbors(e, 5, 2);
  for (size_t i = 0; i < e.n; ++i)
    for (size_t r = 0; r < 5; ++r) {
      EXPECT_EQ(one[i][r].index, two[i][r].index);
      EXPECT_EQ(one[i][r].similarity, two[i][r].similarity);
    }
}

TEST(CreativeKMeans, RecoversWellSeparatedBlobs) {
  std::vector<int> truth;
  const Embeddings e = blobs(5, 40, 32, truth);
  const Clustering c = kmeans(e, {.k = 5, .seed = 7});
  ASSERT_EQ(c.k, 5u);
  // Each family maps to exactly one cluster and each cluster to one family.
  std::set<std::pair<int, int>> pairs;
  for (size_t i = 0; i < e.n; ++i) pairs.insert({truth[i], c.cluster[i]});
  EXPECT_EQ(pairs.size(), 5u);
  std::set<int> clusters;
  for (auto [f, m] : pairs) clusters.insert(m);
  EXPECT_EQ(clusters.size(), 5u);
  // distance_to_centroid is the Euclidean distance to the mean of the cluster's rows.
  for (size_t i = 0; i < e.n; i += 17) {
    std::vector<double> mean(e.d, 0);
    int count = 0;
    for (size_t j = 0; j < e.n; ++j)
      if (c.cluster[j] == c.cluster[i]) {
        ++count;
        for (size_t q = 0; q < e.d; ++q) mean[q] += e.values[j * e.d + q];
      }
    double d2 = 0;
    for (size_t q = 0; q < e.d; ++q) {
      const double diff = e.values[i * e.d + q] - mean[q] / count;
      d2 += diff * diff;
    }
    EXPECT_NEAR(c.distance_to_centroid[i], std::sqrt(d2), 1e-4);
  }
}

TEST(CreativeKMeans, RenumberedBySizeLargestFirst) {
  std::vector<int> truth;
  // Families of 10 rows; take 10 + 6 + 3 of them so sizes differ.
  Embeddings all = blobs(3, 10, 8, truth);
  Embeddings e{0, 8, {}};
  std::vector<int> keep_per_family = {3, 10, 6}, taken(3, 0), kept_truth;
  for (size_t i = 0; i < all.n; ++i) {
    if (taken[truth[i]] >= keep_per_family[truth[i]]) continue;
    ++taken[truth[i]];
    kept_truth.push_back(truth[i]);
    e.values.insert(e.values.end(), all.values.begin() + i * 8, all.values.begin() + (i + 1) * 8);
    ++e.n;
  }
  const Clustering c = kmeans(e, {.k = 3});
  for (size_t i = 0; i < e.n; ++i) {
    const int expected = kept_truth[i] == 1 ? 0 : kept_truth[i] == 2 ? 1 : 2;
    EXPECT_EQ(c.cluster[i], expected) << "row " << i;
  }
}

TEST(CreativeKMeans, DeterministicAndBestRestartKept) {
  const Embeddings e = random_embeddings(400, 12, 11);
  const KMeansOptions options{.k = 6, .seed = 42, .restarts = 5, .threads = 2};
  const Clustering a = kmeans(e, options);
  KMeansOptions one_thread = options;
  one_thread.threads = 1;
  const Clustering b = kmeans(e, one_thread);
  EXPECT_EQ(a.cluster, b.cluster);
  EXPECT_EQ(a.distance_to_centroid, b.distance_to_centroid);
  EXPECT_EQ(a.inertia, b.inertia);
  // Restart r starts from seed + r: the best of five is the least of the five single runs.
  double least = INFINITY;
  std::set<double> distinct;
  for (int r = 0; r < 5; ++r) {
    const Clustering single = kmeans(e, {.k = 6, .seed = 42 + uint64_t(r), .restarts = 1});
    EXPECT_LE(a.inertia, single.inertia);
    least = std::min(least, single.inertia);
    distinct.insert(single.inertia);
  }
  EXPECT_EQ(a.inertia, least);
  EXPECT_GT(distinct.size(), 1u);  // the restarts do differ on unstructured data
  // Inertia is the sum of squared distances to the centroids.
  double sum = 0;
  for (float d : a.distance_to_centroid) sum += double(d) * d;
  EXPECT_NEAR(a.inertia, sum, 1e-3 * sum);
}

TEST(CreativeKMeans, KCappedAtRowsAndDuplicateRows) {
  const Embeddings three{3, 2, {1, 0, 0, 1, -1, 0}};
  const Clustering c = kmeans(three, {.k = 12});
  EXPECT_EQ(c.k, 3u);
  EXPECT_EQ(std::set<int>(c.cluster.begin(), c.cluster.end()).size(), 3u);
  EXPECT_NEAR(c.inertia, 0, 1e-9);
  // Four identical rows and k = 2: one distinct point cannot fill two clusters honestly, but
  // every row still gets a cluster in [0, k).
  const Embeddings same{4, 2, {1, 0, 1, 0, 1, 0, 1, 0}};
  const Clustering s = kmeans(same, {.k = 2});
  ASSERT_GE(s.k, 1u);
  for (int m : s.cluster) EXPECT_LT(static_cast<size_t>(m), s.k);
}

}  // namespace
}  // namespace elv::creative
