#include "base/random_id.h"

#include <random>

namespace elv {

std::string random_hex(int digits) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string s;
  for (int i = 0; i < digits; ++i) s.push_back("0123456789abcdef"[rng() % 16]);
  return s;
}

}  // namespace elv
