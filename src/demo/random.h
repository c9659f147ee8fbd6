// Small, portable random numbers for the synthetic data generator.
//
// Why not <random>: the std::*_distribution classes are implementation-defined, so the
// same seed gives different data under libstdc++ and libc++. Every sampler here is
// written out, so a seed means the same data set everywhere (given the same libm).
//
// Generator: xoshiro256** (Blackman & Vigna), seeded through SplitMix64. Streams are
// keyed by (seed, purpose, index) — e.g. (7, kLeads, day 12) — so days can be generated
// in parallel, in any order, and still give byte-identical output.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace elv::demo {

// SplitMix64's output function: a strong 64-bit mixer, used to derive stream keys.
uint64_t mix64(uint64_t x);

class Rng {
 public:
  // An independent stream for (seed, purpose, index).
  Rng(uint64_t seed, uint64_t purpose, uint64_t index);

  uint64_t next_u64();
  double uniform();                      // [0, 1), 53 random bits
  double uniform(double lo, double hi);  // [lo, hi)
  uint64_t uniform_int(uint64_t n);      // [0, n), unbiased (Lemire); n > 0
  double normal();                       // N(0, 1), Marsaglia polar
  double normal(double mean, double sd) { return mean + sd * normal(); }

  // Poisson: inversion by sequential search for lambda < 10, PTRS (Hörmann 1993,
  // "The transformed rejection method for generating Poisson random variables") above.
  int64_t poisson(double lambda);
  // Binomial: inversion for n·min(p,1-p) < 10, BTRS (Hörmann 1993, "The generation of
  // binomial random variates") above. Both exact.
  int64_t binomial(int64_t n, double p);
  // Gamma(shape, 1): Marsaglia & Tsang (2000); shape < 1 via the U^(1/shape) boost.
  double gamma(double shape);
  // Dirichlet(alpha) into out (same size as alpha), via normalised gammas.
  void dirichlet(std::span<const double> alpha, std::span<double> out);
  // Multinomial(n, p) into out by sequential conditional binomials; sums exactly to n.
  void multinomial(int64_t n, std::span<const double> p, std::span<int64_t> out);

 private:
  uint64_t s_[4];
  double spare_normal_ = 0.0;  // the polar method makes normals in pairs
  bool has_spare_ = false;
};

// log(k!) for k >= 0 without lgamma (glibc's lgamma writes the global signgam, a data
// race when days are generated on several threads).
double log_factorial(double k);

// Gauss–Hermite rule with n points for ∫ e^{-x²} f(x) dx (nodes, weights), computed by
// Newton's method on the Hermite recurrence; deterministic.
void gauss_hermite(int n, std::vector<double>& nodes, std::vector<double>& weights);

}  // namespace elv::demo
