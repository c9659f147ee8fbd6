// CSV read throughput on one core (issue 5's "≥ 250 MB/s per core" for the ads breakdown
// files): tokenising alone, and the full typed load (IDs interned, numbers and dates parsed).
//   elv_bench_read FILE [ads|placement|geo]   → prints MB/s for both, best of 3 runs.
#include <chrono>
#include <cstdio>
#include <string>

#include "contracts/loader.h"
#include "contracts/schema.h"
#include "io/csv_reader.h"

namespace {

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: elv_bench_read FILE [ads|placement|geo]\n");
    return 2;
  }
  const std::string path = argv[1];
  const std::string kind = argc > 2 ? argv[2] : "placement";
  const elv::contracts::FileSpec& spec = kind == "ads"   ? elv::contracts::ads_spec()
                                         : kind == "geo" ? elv::contracts::geo_spec()
                                                         : elv::contracts::placement_spec();
  double best_tokenise = 1e9, best_load = 1e9, mb = 0;
  for (int run = 0; run < 3; ++run) {
    const elv::csv::Reader reader = elv::csv::Reader::open(path);
    mb = static_cast<double>(reader.size_bytes()) / 1e6;
    auto start = std::chrono::steady_clock::now();
    size_t fields = 0;
    reader.for_each([&](int64_t, const std::vector<std::string_view>& f) { fields += f.size(); });
    best_tokenise = std::min(best_tokenise, seconds(start));

    elv::contracts::Dictionaries dicts;
    start = std::chrono::steady_clock::now();
    elv::contracts::LoadOptions one_thread;
    one_thread.threads = 1;
    const auto loaded = elv::contracts::load_file(spec, path, dicts, one_thread);
    best_load = std::min(best_load, seconds(start));
    if (loaded.frame.n_rows == 0) std::fprintf(stderr, "empty file\n");
  }
  std::printf("%s: %.1f MB, tokenise %.0f MB/s, typed load (1 thread, incl. file read) %.0f MB/s\n",
              path.c_str(), mb, mb / best_tokenise, mb / best_load);
  return 0;
}
