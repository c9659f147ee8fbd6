// The one way elv runs work on several threads. The machine has few cores and the work
// items (leads, rows, chunks, days) are uniform, so static splits are enough; every helper
// runs part of the work on the calling thread, waits for all, and rethrows the exception of
// the lowest-numbered worker (for chunks of a file: the earliest bad line).
#pragma once
#include <algorithm>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace elv {

// The thread count for a --threads option: 0 (or less) means all cores, and never below 1.
inline int resolve_threads(int requested) {
  if (requested > 0) return requested;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Calls worker(t) for every t in [0, workers), worker 0 on the calling thread.
template <typename Fn>
void run_workers(int workers, Fn&& worker) {
  workers = std::max(workers, 1);
  std::vector<std::exception_ptr> errors(static_cast<size_t>(workers));
  auto guarded = [&](int t) {
    try {
      worker(t);
    } catch (...) {
      errors[static_cast<size_t>(t)] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(workers - 1));
  for (int t = 1; t < workers; ++t) threads.emplace_back(guarded, t);
  guarded(0);
  for (auto& th : threads) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

// Calls fn(k) for every k in [0, items) on up to `threads` threads, item k on worker
// k % workers: for items of uneven cost in order (days of the demo data, trees of a fit).
template <typename Fn>
void for_each_interleaved(int64_t items, int threads, Fn&& fn) {
  const int workers =
      static_cast<int>(std::clamp<int64_t>(threads, 1, std::max<int64_t>(items, 1)));
  run_workers(workers, [&](int t) {
    for (int64_t k = t; k < items; k += workers) fn(k);
  });
}

// Calls fn(begin, end) on up to `threads` contiguous ranges covering [0, n), one per thread,
// each of at least kMinPerThread items (below that, threads cost more than they save).
template <typename Fn>
void parallel_ranges(int64_t n, int threads, Fn&& fn) {
  constexpr int64_t kMinPerThread = 20000;
  int parts = std::max(threads, 1);
  if (n / kMinPerThread < parts) parts = static_cast<int>(n / kMinPerThread);
  if (parts <= 1) {
    fn(int64_t{0}, n);
    return;
  }
  run_workers(parts, [&](int p) { fn(n * p / parts, n * (p + 1) / parts); });
}

}  // namespace elv
