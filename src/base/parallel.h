// A minimal parallel-for over index ranges with std::thread: the machine has few cores
// and the work items (leads, rows) are uniform, so static ranges are enough.
#pragma once
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace elv {

// Calls fn(begin, end) on up to `threads` contiguous ranges covering [0, n). The first
// exception thrown by any range is rethrown after all have finished.
template <typename Fn>
void parallel_ranges(int64_t n, int threads, Fn&& fn) {
  constexpr int64_t kMinPerThread = 20000;  // below this, threads cost more than they save
  int parts = threads < 1 ? 1 : threads;
  if (n / kMinPerThread < parts) parts = static_cast<int>(n / kMinPerThread);
  if (parts <= 1) {
    fn(int64_t{0}, n);
    return;
  }
  std::vector<std::exception_ptr> errors(static_cast<size_t>(parts));
  std::vector<std::thread> workers;
  for (int p = 1; p < parts; ++p) {
    workers.emplace_back([&, p] {
      try {
        fn(n * p / parts, n * (p + 1) / parts);
      } catch (...) {
        errors[static_cast<size_t>(p)] = std::current_exception();
      }
    });
  }
  try {
    fn(int64_t{0}, n / parts);
  } catch (...) {
    errors[0] = std::current_exception();
  }
  for (auto& w : workers) w.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace elv
