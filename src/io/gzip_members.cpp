#include "io/gzip_members.h"

#include <libdeflate.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "base/error.h"
#include "base/parallel.h"
#include "io/files.h"

namespace elv::io {

namespace {

// A libdeflate compressor and the output buffer, reused across the blocks of one worker:
// allocating both per 5 MB block cost a tenth of build-table in page faults (perf, issue 5).
class MemberCompressor {
 public:
  MemberCompressor(int level, const std::string& path) : path_(path) {
    compressor_ = libdeflate_alloc_compressor(level);
    if (!compressor_) throw Error("cannot start gzip compression (out of memory)", path);
  }
  ~MemberCompressor() { libdeflate_free_compressor(compressor_); }
  MemberCompressor(const MemberCompressor&) = delete;
  MemberCompressor& operator=(const MemberCompressor&) = delete;

  // Compresses data into the internal buffer; the view is valid until the next call.
  std::string_view compress(std::string_view data) {
    const size_t bound = libdeflate_gzip_compress_bound(compressor_, data.size());
    if (buffer_.size() < bound) buffer_.resize(bound);
    const size_t produced = libdeflate_gzip_compress(compressor_, data.data(), data.size(),
                                                     buffer_.data(), buffer_.size());
    if (produced == 0) throw Error("gzip compression failed", path_);
    return {buffer_.data(), produced};
  }

 private:
  libdeflate_compressor* compressor_;
  std::string buffer_;
  const std::string& path_;
};

}  // namespace

std::string gzip_member(const std::string& data, int level, const std::string& path) {
  // libdeflate: whole-buffer compression, 2-3x faster than zlib at the same ratio, which is
  // what table.csv.gz needs (the write was the slowest stage of build-table).
  MemberCompressor compressor(level, path);
  return std::string(compressor.compress(data));
}

void write_gzip_blocks(const std::string& path, size_t n_blocks,
                       const std::function<void(size_t, std::string&)>& format, int threads,
                       int level, const std::function<void(double)>& on_block) {
  io::UniqueFile file(std::fopen(path.c_str(), "wb"));
  if (!file) throw Error("cannot open for writing", path);
  std::mutex mutex;
  std::condition_variable turn;
  size_t next_block = 0, next_to_write = 0;
  std::exception_ptr error;
  auto worker = [&] {
    std::string text;
    std::optional<MemberCompressor> compressor;
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
        if (level >= 0 && !compressor) compressor.emplace(level, path);
        const std::string_view member =
            level < 0 ? std::string_view(text) : compressor->compress(text);
        std::unique_lock lock(mutex);
        turn.wait(lock, [&] { return next_to_write == block || error; });
        if (error) return;
        if (std::fwrite(member.data(), 1, member.size(), file.get()) != member.size())
          throw Error("write failed (disk full?)", path);
        ++next_to_write;
        // Under the lock: written blocks are reported in order, one thread at a time.
        if (on_block) on_block(static_cast<double>(next_to_write) / static_cast<double>(n_blocks));
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
      }
      turn.notify_all();
    }
  };
  run_workers(threads, [&](int) { worker(); });  // worker() keeps its errors for below
  const bool closed = io::close_checked(file);
  if (error) std::rethrow_exception(error);
  if (!closed) throw Error("closing file failed", path);
}

}  // namespace elv::io
