#include "io/gzip_members.h"

#include <libdeflate.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "io/error.h"

namespace elv::io {

std::string gzip_member(const std::string& data, int level, const std::string& path) {
  // libdeflate: whole-buffer compression, 2-3x faster than zlib at the same ratio, which is
  // what table.csv.gz needs (the write was the slowest stage of build-table). A compressor
  // per call keeps workers independent; its allocation is tiny next to a block.
  libdeflate_compressor* compressor = libdeflate_alloc_compressor(level);
  if (!compressor) throw Error("cannot start gzip compression (out of memory)", path);
  std::string out(libdeflate_gzip_compress_bound(compressor, data.size()), '\0');
  const size_t produced =
      libdeflate_gzip_compress(compressor, data.data(), data.size(), out.data(), out.size());
  libdeflate_free_compressor(compressor);
  if (produced == 0) throw Error("gzip compression failed", path);
  out.resize(produced);
  return out;
}

void write_gzip_blocks(const std::string& path, size_t n_blocks,
                       const std::function<void(size_t, std::string&)>& format, int threads,
                       int level) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) throw Error("cannot open for writing", path);
  std::mutex mutex;
  std::condition_variable turn;
  size_t next_block = 0, next_to_write = 0;
  std::exception_ptr error;
  auto worker = [&] {
    std::string text;
    for (;;) {
      size_t block;
      {
        std::lock_guard lock(mutex);
        if (error || next_block >= n_blocks) return;
        block = next_block++;
      }
      try {
        text.clear();
        format(block, text);
        const std::string member = level < 0 ? std::move(text) : gzip_member(text, level, path);
        std::unique_lock lock(mutex);
        turn.wait(lock, [&] { return next_to_write == block || error; });
        if (error) return;
        if (std::fwrite(member.data(), 1, member.size(), file) != member.size())
          throw Error("write failed (disk full?)", path);
        ++next_to_write;
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
      }
      turn.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < std::max(1, threads); ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  const bool closed = std::fclose(file) == 0;
  if (error) std::rethrow_exception(error);
  if (!closed) throw Error("closing file failed", path);
}

}  // namespace elv::io
