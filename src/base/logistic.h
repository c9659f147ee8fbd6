// The logistic function and its companions, shared by the models (logreg, calibration) and
// the demo generator, so every probability in elv comes from the same formula.
#pragma once
#include <cmath>

namespace elv {

// 1 / (1 + e^-x). Accurate to a few ulps for every x: for very negative x, e^-x overflows to
// infinity and the result is exactly 0, never NaN.
inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// ln(1 + e^x) without overflow for large x or loss of precision for very negative x: the
// log-loss of a logit is softplus(-z) for a positive and softplus(z) for a negative.
inline double softplus(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

}  // namespace elv
