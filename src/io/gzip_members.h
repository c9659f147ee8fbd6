// gzip output compressed on background threads: the caller formats the next block while
// earlier blocks are deflated, on several workers when there are cores for it. Each block
// becomes a complete gzip member, written in submission order; a sequence of members is a
// valid .gz file (RFC 1952 §2.2) that zcat, Python and pandas read whole.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace elv::io {

// One complete gzip member holding `data` (libdeflate). Throws elv::Error naming path.
std::string gzip_member(const std::string& data, int level, const std::string& path);

// Writes the .gz file `path` whose text is produced in blocks: format(block, out) appends
// block `block`'s text to `out`. `threads` workers each format and compress whole blocks,
// so both steps use every core; members are written in block order, and at most one block
// per worker is in memory. The first exception (from format or I/O) is rethrown.
// level < 0 writes the text uncompressed (a plain .csv), with the same parallel formatting.
void write_gzip_blocks(const std::string& path, size_t n_blocks,
                       const std::function<void(size_t, std::string&)>& format, int threads,
                       int level = 1);

class GzipMemberWriter {
 public:
  GzipMemberWriter(std::FILE* file, std::string path, int level, int workers = 1);
  ~GzipMemberWriter();  // joins the workers; errors are only reported by finish()
  GzipMemberWriter(const GzipMemberWriter&) = delete;
  GzipMemberWriter& operator=(const GzipMemberWriter&) = delete;

  // Hands a block over (waits while enough blocks are already in flight, which bounds
  // memory). Throws elv::Error if an earlier block failed.
  void submit(std::string&& block);
  // Compresses and writes everything submitted; throws elv::Error on failure.
  void finish();

 private:
  struct Job {
    uint64_t seq;
    std::string data;
  };
  void run();
  std::string compress(const std::string& block) const;
  void stop_workers();

  std::FILE* file_;
  std::string path_;
  int level_;
  size_t max_in_flight_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  uint64_t next_seq_ = 0, next_to_write_ = 0;
  size_t in_flight_ = 0;  // submitted, not yet written
  bool closing_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> workers_;
};

}  // namespace elv::io
