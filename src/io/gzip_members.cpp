#include "io/gzip_members.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include <isa-l/igzip_lib.h>

#include "base/error.h"
#include "base/parallel.h"
#include "io/files.h"

namespace elv::io {

namespace {

// ISA-L's work buffer for each of its levels (igzip_lib.h).
size_t level_buffer_size(int level) {
  switch (level) {
    case 0:
      return 0;
    case 1:
      return ISAL_DEF_LVL1_DEFAULT;
    case 2:
      return ISAL_DEF_LVL2_DEFAULT;
    default:
      return ISAL_DEF_LVL3_DEFAULT;
  }
}

// ISA-L's compressor runs AVX2/AVX-512 code and returns with the upper halves of the vector
// registers still in use. The scalar SSE arithmetic the calling thread runs next (the
// explanation of every score after table.csv.gz, in `train`) then ran 2.7x slower: 0.19 s
// against 0.07 s at 120,000 leads (bench/RESULTS.md, "Against the reference"). vzeroupper
// clears that state; it exists only on CPUs with AVX, and ISA-L uses those paths only there.
void clear_upper_vector_state() {
#if defined(__x86_64__)
  static const bool has_avx = __builtin_cpu_supports("avx");
  if (has_avx) __asm__ volatile("vzeroupper");
#endif
}

// An ISA-L compressor's buffers, reused across the blocks of one worker: allocating them per
// 5 MB block cost a tenth of build-table in page faults (perf, issue 5). ISA-L's igzip
// compresses the lead table 2.4x faster than libdeflate's fastest level did, for about 5 %
// more bytes (bench/RESULTS.md, "Against the reference").
class MemberCompressor {
 public:
  MemberCompressor(int level, const std::string& path)
      : level_(std::clamp(level, 0, ISAL_DEF_MAX_LEVEL)),
        level_buffer_(level_buffer_size(level_)),
        path_(path) {}

  // Compresses data into one gzip member in the internal buffer; the view is valid until
  // the next call.
  std::string_view compress(std::string_view data) {
    // Room for data that does not compress (stored blocks) and the gzip header and trailer;
    // grown and tried again in the unlikely case it is not enough.
    if (data.size() > (size_t{1} << 30))  // ISA-L counts in 32 bits; blocks are megabytes
      throw Error("gzip compression: a block over 1 GiB", path_);
    size_t room = data.size() + data.size() / 8 + 4096;
    for (;;) {
      if (buffer_.size() < room) buffer_.resize(room);
      isal_zstream stream;
      isal_deflate_stateless_init(&stream);
      stream.level = static_cast<uint32_t>(level_);
      stream.level_buf = level_buffer_.empty() ? nullptr : level_buffer_.data();
      stream.level_buf_size = static_cast<uint32_t>(level_buffer_.size());
      stream.gzip_flag = IGZIP_GZIP;
      stream.end_of_stream = 1;
      stream.flush = NO_FLUSH;
      stream.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(data.data()));
      stream.avail_in = static_cast<uint32_t>(data.size());
      stream.next_out = reinterpret_cast<uint8_t*>(buffer_.data());
      stream.avail_out = static_cast<uint32_t>(buffer_.size());
      const int status = isal_deflate_stateless(&stream);
      clear_upper_vector_state();
      if (status == COMP_OK) return {buffer_.data(), stream.total_out};
      if (status != STATELESS_OVERFLOW) throw Error("gzip compression failed", path_);
      room *= 2;
    }
  }

 private:
  int level_;
  std::vector<uint8_t> level_buffer_;
  std::string buffer_;
  const std::string& path_;
};

}  // namespace

std::string gzip_member(const std::string& data, int level, const std::string& path) {
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
