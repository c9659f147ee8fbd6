// gzip output as a sequence of complete gzip members, one per block: such a sequence is a
// valid .gz file (RFC 1952 §2.2) that zcat, Python and pandas read whole, and blocks can be
// formatted and compressed on several threads.
#pragma once
#include <functional>
#include <string>

namespace elv::io {

// One complete gzip member holding `data`, compressed by ISA-L's igzip at `level` (0-3).
// Throws elv::Error naming path.
std::string gzip_member(const std::string& data, int level, const std::string& path);

// Writes the .gz file `path` whose text is produced in blocks: format(block, out) appends
// block `block`'s text to `out`. `threads` workers each format and compress whole blocks,
// so both steps use every core; members are written in block order, and at most one block
// per worker is in memory. The first exception (from format or I/O) is rethrown.
// level < 0 writes the text uncompressed (a plain .csv), with the same parallel formatting.
// on_block (optional) is told the share of blocks written, from the thread that wrote it.
void write_gzip_blocks(const std::string& path, size_t n_blocks,
                       const std::function<void(size_t, std::string&)>& format, int threads,
                       int level, const std::function<void(double)>& on_block = {});

}  // namespace elv::io
