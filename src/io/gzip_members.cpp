#include "io/gzip_members.h"

#include <zlib.h>

#include "io/error.h"

namespace elv::io {

GzipMemberWriter::GzipMemberWriter(std::FILE* file, std::string path, int level)
    : file_(file), path_(std::move(path)), level_(level), worker_([this] { run(); }) {}

GzipMemberWriter::~GzipMemberWriter() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void GzipMemberWriter::submit(std::string&& block) {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return !pending_ || error_; });
  if (error_) std::rethrow_exception(error_);
  pending_ = std::move(block);
  lock.unlock();
  cv_.notify_all();
}

void GzipMemberWriter::finish() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return (!pending_ && !busy_) || error_; });
  closing_ = true;
  lock.unlock();
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  if (error_) std::rethrow_exception(error_);
}

void GzipMemberWriter::run() {
  for (;;) {
    std::string block;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return pending_.has_value() || closing_; });
      if (!pending_) return;
      block = std::move(*pending_);
      pending_.reset();
      busy_ = true;
    }
    cv_.notify_all();  // the producer may fill the next block now
    try {
      compress_and_write(block);
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
    }
    cv_.notify_all();
    if (error_) return;
  }
}

void GzipMemberWriter::compress_and_write(const std::string& block) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer around the deflate stream.
  if (deflateInit2(&zs, level_, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error("cannot start gzip compression", path_);
  out_.resize(deflateBound(&zs, static_cast<uLong>(block.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(block.data()));
  zs.avail_in = static_cast<uInt>(block.size());
  zs.next_out = reinterpret_cast<Bytef*>(out_.data());
  zs.avail_out = static_cast<uInt>(out_.size());
  const int rc = deflate(&zs, Z_FINISH);
  const size_t produced = out_.size() - zs.avail_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw Error("gzip compression failed", path_);
  if (std::fwrite(out_.data(), 1, produced, file_) != produced)
    throw Error("write failed (disk full?)", path_);
}

}  // namespace elv::io
