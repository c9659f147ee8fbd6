// Neighbours and clustering of n random L2-normalised embeddings (issue 15: 10,000 creatives
// in <= 5 s on the 2-core bench machine), apart from decoding.
//   elv_bench_creative [N] [D] [THREADS]   → prints the seconds of each step, best of 3.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "creative/similarity.h"

namespace {

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000;
  const size_t d = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 256;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 0;
  elv::creative::Embeddings e{n, d, std::vector<float>(n * d)};
  uint64_t s = 42;
  for (size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (size_t j = 0; j < d; ++j) {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;  // a fixed LCG: data only
      const float v = static_cast<float>(static_cast<double>(s >> 11) * 0x1.0p-53 - 0.5);
      e.values[i * d + j] = v;
      norm += double(v) * v;
    }
    for (size_t j = 0; j < d; ++j) e.values[i * d + j] /= static_cast<float>(std::sqrt(norm));
  }
  double best_nn = 1e9, best_km = 1e9;
  size_t k_used = 0;
  for (int run = 0; run < 3; ++run) {
    auto start = std::chrono::steady_clock::now();
    const auto nn = elv::creative::nearest_neighbors(e, 10, threads);
    best_nn = std::min(best_nn, seconds(start));
    start = std::chrono::steady_clock::now();
    elv::creative::KMeansOptions options;
    options.k = 12;
    options.threads = threads;
    const auto c = elv::creative::kmeans(e, options);
    best_km = std::min(best_km, seconds(start));
    k_used = c.k;
    if (nn.size() != n) return 1;
  }
  std::printf(
      "n=%zu d=%zu neighbours(k=10) %.2f s, kmeans(k=%zu, 8 restarts) %.2f s, total %.2f s\n", n, d,
      best_nn, k_used, best_km, best_nn + best_km);
  return 0;
}
