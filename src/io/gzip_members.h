// gzip output compressed on a background thread: the caller formats the next block while
// the previous one is deflated. Each block becomes a complete gzip member; a sequence of
// members is a valid .gz file (RFC 1952 §2.2) that zcat, Python and pandas read whole.
#pragma once
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace elv::io {

class GzipMemberWriter {
 public:
  GzipMemberWriter(std::FILE* file, std::string path, int level);
  ~GzipMemberWriter();  // joins the worker; errors are only reported by finish()
  GzipMemberWriter(const GzipMemberWriter&) = delete;
  GzipMemberWriter& operator=(const GzipMemberWriter&) = delete;

  // Hands a block over (waits while the previous block is still being compressed).
  // Throws elv::Error if an earlier block failed.
  void submit(std::string&& block);
  // Compresses and writes everything submitted; throws elv::Error on failure.
  void finish();

 private:
  void run();
  void compress_and_write(const std::string& block);

  std::FILE* file_;
  std::string path_;
  int level_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<std::string> pending_;
  bool closing_ = false;
  bool busy_ = false;
  std::exception_ptr error_;
  std::string out_;  // worker-owned output buffer, reused
  std::thread worker_;
};

}  // namespace elv::io
