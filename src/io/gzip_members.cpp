#include "io/gzip_members.h"

#include <zlib.h>

#include "io/error.h"

namespace elv::io {

GzipMemberWriter::GzipMemberWriter(std::FILE* file, std::string path, int level, int workers)
    : file_(file), path_(std::move(path)), level_(level) {
  const int n = workers < 1 ? 1 : workers;
  max_in_flight_ = static_cast<size_t>(n) + 1;
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { run(); });
}

GzipMemberWriter::~GzipMemberWriter() { stop_workers(); }

void GzipMemberWriter::stop_workers() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_)
    if (w.joinable()) w.join();
}

void GzipMemberWriter::submit(std::string&& block) {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return in_flight_ < max_in_flight_ || error_; });
  if (error_) std::rethrow_exception(error_);
  queue_.push_back({next_seq_++, std::move(block)});
  ++in_flight_;
  lock.unlock();
  cv_.notify_all();
}

void GzipMemberWriter::finish() {
  {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return in_flight_ == 0 || error_; });
  }
  stop_workers();
  if (error_) std::rethrow_exception(error_);
}

void GzipMemberWriter::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return !queue_.empty() || closing_ || error_; });
      if (queue_.empty() || error_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      const std::string out = compress(job.data);
      job.data = std::string();  // release the input before waiting for our turn
      std::unique_lock lock(mutex_);
      // Members must appear in submission order.
      cv_.wait(lock, [&] { return next_to_write_ == job.seq || error_; });
      if (error_) return;
      if (std::fwrite(out.data(), 1, out.size(), file_) != out.size())
        throw Error("write failed (disk full?)", path_);
      ++next_to_write_;
      --in_flight_;
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
    cv_.notify_all();
  }
}

std::string GzipMemberWriter::compress(const std::string& block) const {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer around the deflate stream.
  if (deflateInit2(&zs, level_, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error("cannot start gzip compression", path_);
  std::string out(deflateBound(&zs, static_cast<uLong>(block.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(block.data()));
  zs.avail_in = static_cast<uInt>(block.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(out.size() - zs.avail_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw Error("gzip compression failed", path_);
  return out;
}

}  // namespace elv::io
