// Checks on input paths before they are opened, and the one atomic file write.
#pragma once
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace elv::io {

// Throws elv::Error naming path unless it is (a symbolic link to) a regular file. `what` is
// the kind of file expected, for the message: "CSV file", "config file", "model file".
//   missing:            "<what> not found"
//   a folder:           "is a folder, not a <what>"
//   a FIFO, device, socket: "not a regular file (a character device); give the path of a <what>"
//   a symlink loop etc: "cannot open file: too many levels of symbolic links"
// Uses stat(2) only: a FIFO is never opened (opening one blocks until a writer comes), and
// /dev/zero or /dev/urandom are never read (they never end).
void require_regular_file(const std::string& path, const std::string& what);

// Writes text to path through path + ".tmp" and a rename, so a reader never sees half a
// file and a failed write leaves any old file as it was. Throws elv::Error naming the file.
void write_file_atomically(const std::string& path, std::string_view text);

// A FILE* that closes itself when it goes out of scope (on an error path, say).
struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using UniqueFile = std::unique_ptr<std::FILE, FileCloser>;

// Closes file now and says whether it went well: fclose flushes the buffer, so a write
// that fails for want of space may only show here. file is null afterwards.
bool close_checked(UniqueFile& file);

}  // namespace elv::io
