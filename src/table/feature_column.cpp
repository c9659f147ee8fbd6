#include "table/feature_column.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace elv::table {

namespace {

constexpr size_t kRun = 1024;  // values checked between looks at whether to stop early

// Bit 0 set: every value fits_int8; bit 1: every value fits_float.
int fits_one_by_one(const double* v, size_t n) {
  bool int8 = true, floats = true;
  for (size_t i = 0; i < n; ++i) {
    int8 = int8 && FeatureColumn::fits_int8(v[i]);
    floats = floats && FeatureColumn::fits_float(v[i]);
  }
  return (int8 ? 1 : 0) | (floats ? 2 : 0);
}

#if defined(__SSE2__)
// Two values at a time, with the answers of fits_int8 and fits_float (a unit test holds them
// together): one by one, this scan was a tenth of build-table on 120,000 leads, most of it
// the targeting features' 67 columns (issue 19). The conversions saturate in hardware (out
// of range: int32's minimum, float's infinity), so no value takes a branch.
int fits_in_pairs(const double* v, size_t n) {
  const __m128d low = _mm_set1_pd(-128.0), high = _mm_set1_pd(127.0), zero = _mm_setzero_pd();
  const __m128d float_max = _mm_set1_pd(static_cast<double>(std::numeric_limits<float>::max()));
  const __m128d magnitude = _mm_castsi128_pd(_mm_set1_epi64x(0x7FFFFFFFFFFFFFFF));
  int int8 = 3, floats = 3;  // one bit per lane
  size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    const __m128d x = _mm_loadu_pd(v + i);
    // fits_int8: whole, in [-128, 127], not -0.0 (its sign sits in the upper half of the lane,
    // which is the bit movemask reads).
    const __m128d whole = _mm_cmpeq_pd(_mm_cvtepi32_pd(_mm_cvttpd_epi32(x)), x);
    const __m128d in_range = _mm_and_pd(_mm_cmpge_pd(x, low), _mm_cmple_pd(x, high));
    const __m128d negative_zero = _mm_and_pd(
        _mm_cmpeq_pd(x, zero), _mm_castsi128_pd(_mm_srai_epi32(_mm_castpd_si128(x), 31)));
    int8 &= _mm_movemask_pd(_mm_andnot_pd(negative_zero, _mm_and_pd(whole, in_range)));
    // fits_float: NaN, or within float's range and unchanged by the round trip.
    const __m128d round_trip = _mm_cvtps_pd(_mm_cvtpd_ps(x));
    const __m128d exact =
        _mm_and_pd(_mm_cmple_pd(_mm_and_pd(x, magnitude), float_max), _mm_cmpeq_pd(round_trip, x));
    floats &= _mm_movemask_pd(_mm_or_pd(_mm_cmpunord_pd(x, x), exact));
  }
  const int rest = fits_one_by_one(v + i, n - i);
  return (int8 == 3 && (rest & 1) ? 1 : 0) | (floats == 3 && (rest & 2) ? 2 : 0);
}
#endif

int fits_run(const double* v, size_t n) {
#if defined(__SSE2__)
  return fits_in_pairs(v, n);
#else
  return fits_one_by_one(v, n);
#endif
}

}  // namespace

FeatureColumn::Fit FeatureColumn::narrowest(const double* values, size_t n) {
  Fit fit{true, true};
  // A column that needs doubles usually shows it early: stop at the end of that run.
  for (size_t begin = 0; begin < n && fit.floats; begin += kRun) {
    const int run = fits_run(values + begin, std::min(kRun, n - begin));
    fit.int8 = fit.int8 && (run & 1);
    fit.floats = fit.floats && (run & 2);
  }
  if (!fit.floats) fit.int8 = false;
  return fit;
}

}  // namespace elv::table
