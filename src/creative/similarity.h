// Which creatives look alike (docs/CREATIVES.md, "Neighbours and clusters"): cosine
// neighbours and k-means++ clusters over L2-normalised embeddings, deterministic for a seed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace elv::creative {

// n embeddings of d floats, row-major, each of L2 norm 1.
struct Embeddings {
  size_t n = 0, d = 0;
  std::vector<float> values;  // n * d
};

struct Neighbor {
  size_t index = 0;      // row of the neighbour
  float similarity = 0;  // cosine, in [-1, 1]
};

// For every row, its k most similar other rows, most similar first (ties: lower index
// first); k is capped at n - 1.
std::vector<std::vector<Neighbor>> nearest_neighbors(const Embeddings& e, size_t k,
                                                     int threads = 0);

struct KMeansOptions {
  size_t k = 12;  // capped at n
  uint64_t seed = 7;
  int restarts = 8;  // k-means++ starts (start r seeded with seed + r); lowest inertia kept
  int max_iterations = 100;
  int threads = 0;  // restarts run in parallel; the result does not depend on it
};

struct Clustering {
  size_t k = 0;
  std::vector<int> cluster;                 // per row, in [0, k); cluster 0 is the largest
                                            // (ties: the one holding the lowest row first);
                                            // k < options.k only when fewer distinct rows
  std::vector<float> distance_to_centroid;  // per row, Euclidean
  std::vector<float> centroids;             // k * d
  double inertia = 0;                       // sum of squared distances
};

Clustering kmeans(const Embeddings& e, const KMeansOptions& options);

}  // namespace elv::creative
