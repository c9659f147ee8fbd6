#include "demo/random.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace elv::demo {

namespace {

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// SplitMix64: the recommended way to fill xoshiro's state from one 64-bit key (it never
// yields the all-zero state in practice and decorrelates nearby keys).
uint64_t splitmix_next(uint64_t& state) {
  state += 0x9E3779B97F4A7C15ULL;
  return mix64(state);
}

// Taylor/Stirling series for log Γ(x), x > 0 (the form numpy uses for its samplers).
double log_gamma(double x) {
  static constexpr double kCoef[10] = {
      8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04,
      8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02,
      1.796443723688307e-01, -1.39243221690590e+00};
  if (x == 1.0 || x == 2.0) return 0.0;
  // Shift small arguments up to 7 where the asymptotic series is accurate, then undo.
  int shift = x < 7.0 ? static_cast<int>(7.0 - x) : 0;
  double x0 = x + shift;
  double inv_x0_sq = 1.0 / (x0 * x0);
  double series = kCoef[9];
  for (int k = 8; k >= 0; --k) series = series * inv_x0_sq + kCoef[k];
  double result =
      series / x0 + 0.5 * std::log(2.0 * std::numbers::pi) + (x0 - 0.5) * std::log(x0) - x0;
  for (int k = 0; k < shift; ++k) {
    x0 -= 1.0;
    result -= std::log(x0);
  }
  return result;
}

}  // namespace

uint64_t mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

double log_factorial(double k) {
  // The samplers mostly ask for k below a few thousand (impressions of one ad-day): a
  // table, filled once (thread-safe static init, read-only after), saves the series.
  constexpr int kTableSize = 4096;
  static const std::vector<double> table = [] {
    std::vector<double> t(kTableSize);
    for (int i = 0; i < kTableSize; ++i) t[i] = i < 2 ? 0.0 : log_gamma(i + 1.0);
    return t;
  }();
  if (k < 2.0) return 0.0;
  if (k < kTableSize && k == std::floor(k)) return table[static_cast<size_t>(k)];
  return log_gamma(k + 1.0);
}

Rng::Rng(uint64_t seed, uint64_t purpose, uint64_t index) {
  // Chain the three parts through the mixer so (1, 2, 3) and (2, 1, 3) differ.
  uint64_t key = mix64(seed + 0x243F6A8885A308D3ULL);
  key = mix64(key ^ (purpose + 0x13198A2E03707344ULL));
  key = mix64(key ^ (index + 0xA4093822299F31D0ULL));
  for (auto& word : s_) word = splitmix_next(key);
}

uint64_t Rng::next_u64() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Rng::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

uint64_t Rng::uniform_int(uint64_t n) {
  // Lemire's multiply-shift with rejection of the few biased low products.
  uint64_t x = next_u64();
  __uint128_t m = static_cast<__uint128_t>(x) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      x = next_u64();
      m = static_cast<__uint128_t>(x) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_normal_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * factor;
  has_spare_ = true;
  return u * factor;
}

int64_t Rng::poisson(double lambda) {
  if (!(lambda > 0.0)) return 0;
  if (lambda < 10.0) {
    // Inversion: walk the CDF. The tail beyond the point where the pmf underflows has
    // no mass a double can see, so stopping there is exact in practice.
    double pmf = std::exp(-lambda);
    double cdf = pmf;
    const double u = uniform();
    int64_t k = 0;
    while (u > cdf && pmf > 0.0) {
      ++k;
      pmf *= lambda / static_cast<double>(k);
      cdf += pmf;
    }
    return k;
  }
  // PTRS: transformed rejection with squeeze; about 1.1 uniforms pairs per sample.
  const double slam = std::sqrt(lambda);
  const double loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = uniform() - 0.5;
    const double v = uniform();
    const double us = 0.5 - std::fabs(u);
    if (us <= 0.0) continue;
    const double k = std::floor((2.0 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<int64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -lambda + k * loglam - log_factorial(k))
      return static_cast<int64_t>(k);
  }
}

int64_t Rng::binomial(int64_t n, double p) {
  if (n <= 0 || !(p > 0.0)) return 0;
  if (p >= 1.0) return n;
  if (p > 0.5) return n - binomial(n, 1.0 - p);  // both methods assume p <= 1/2
  const double q = 1.0 - p;
  const double dn = static_cast<double>(n);
  if (dn * p < 10.0) {
    // Inversion (BINV). A walk past a generous bound means rounding trouble: redraw.
    const double s = p / q;
    const double a = (dn + 1.0) * s;
    const double bound = std::min(dn, dn * p + 10.0 * std::sqrt(dn * p * q + 1.0));
    const double r0 = std::pow(q, dn);
    for (;;) {
      double r = r0;
      double u = uniform();
      double x = 0.0;
      while (u > r) {
        u -= r;
        x += 1.0;
        if (x > bound) break;
        r *= a / x - s;
      }
      if (x <= bound) return static_cast<int64_t>(x);
    }
  }
  // BTRS: transformed rejection, exact, O(1) expected time.
  const double spq = std::sqrt(dn * p * q);
  const double b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = dn * p + 0.5;
  const double vr = 0.92 - 4.2 / b;
  const double alpha = (2.83 + 5.1 / b) * spq;
  const double lpq = std::log(p / q);
  const double m = std::floor((dn + 1.0) * p);
  const double h = log_factorial(m) + log_factorial(dn - m);
  for (;;) {
    const double u = uniform() - 0.5;
    double v = uniform();
    const double us = 0.5 - std::fabs(u);
    if (us <= 0.0) continue;
    const double k = std::floor((2.0 * a / us + b) * u + c);
    if (k < 0.0 || k > dn) continue;
    if (us >= 0.07 && v <= vr) return static_cast<int64_t>(k);
    v = std::log(v * alpha / (a / (us * us) + b));
    if (v <= h - log_factorial(k) - log_factorial(dn - k) + (k - m) * lpq)
      return static_cast<int64_t>(k);
  }
}

double Rng::gamma(double shape) {
  if (shape < 1.0) {
    // Γ(a) = Γ(a+1) · U^(1/a); 1 - uniform() is in (0, 1].
    return gamma(shape + 1.0) * std::pow(1.0 - uniform(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform();
    if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

void Rng::dirichlet(std::span<const double> alpha, std::span<double> out) {
  double sum = 0.0;
  for (size_t i = 0; i < alpha.size(); ++i) {
    out[i] = gamma(alpha[i]);
    sum += out[i];
  }
  for (size_t i = 0; i < alpha.size(); ++i)
    out[i] = sum > 0.0 ? out[i] / sum : 1.0 / static_cast<double>(alpha.size());
}

void Rng::multinomial(int64_t n, std::span<const double> p, std::span<int64_t> out) {
  int64_t remaining = n;
  double remaining_p = 1.0;
  const size_t k = p.size();
  for (size_t i = 0; i + 1 < k; ++i) {
    int64_t x = 0;
    if (remaining > 0 && remaining_p > 0.0) {
      double conditional = p[i] / remaining_p;
      x = binomial(remaining, conditional < 1.0 ? conditional : 1.0);
    }
    out[i] = x;
    remaining -= x;
    remaining_p -= p[i];
  }
  if (k > 0) out[k - 1] = remaining;
}

void gauss_hermite(int n, std::vector<double>& nodes, std::vector<double>& weights) {
  // Numerical Recipes' gauher: initial guesses for the largest roots, then Newton on the
  // orthonormal Hermite recurrence. Symmetric, so only half the roots are searched.
  constexpr double kPiM4 = 0.7511255444649425;  // π^(-1/4)
  nodes.assign(n, 0.0);
  weights.assign(n, 0.0);
  double z = 0.0, pp = 0.0;
  const int half = (n + 1) / 2;
  for (int i = 0; i < half; ++i) {
    if (i == 0)
      z = std::sqrt(2.0 * n + 1.0) - 1.85575 * std::pow(2.0 * n + 1.0, -0.16667);
    else if (i == 1)
      z -= 1.14 * std::pow(static_cast<double>(n), 0.426) / z;
    else if (i == 2)
      z = 1.86 * z - 0.86 * nodes[0];
    else if (i == 3)
      z = 1.91 * z - 0.91 * nodes[1];
    else
      z = 2.0 * z - nodes[i - 2];
    for (int iter = 0; iter < 100; ++iter) {
      double p1 = kPiM4, p2 = 0.0;
      for (int j = 0; j < n; ++j) {
        const double p3 = p2;
        p2 = p1;
        p1 = z * std::sqrt(2.0 / (j + 1)) * p2 - std::sqrt(static_cast<double>(j) / (j + 1)) * p3;
      }
      pp = std::sqrt(2.0 * n) * p2;
      const double previous = z;
      z = previous - p1 / pp;
      if (std::fabs(z - previous) <= 1e-14) break;
    }
    nodes[i] = z;
    nodes[n - 1 - i] = -z;
    weights[i] = 2.0 / (pp * pp);
    weights[n - 1 - i] = weights[i];
  }
}

}  // namespace elv::demo
