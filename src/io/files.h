// Checks on input paths before they are opened, and the one atomic file write.
#pragma once
#include <cstdio>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

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

// A folder elv made and owns: removed with everything in it when this goes out of scope,
// whichever way the scope ends, unless release() hands it on (a job taking over an upload).
// Only ever give it a folder elv created: nothing elv did not write may be deleted.
class OwnedFolder {
 public:
  explicit OwnedFolder(std::string path) : path_(std::move(path)) {}
  ~OwnedFolder();
  OwnedFolder(OwnedFolder&& other) noexcept : path_(other.release()) {}
  OwnedFolder(const OwnedFolder&) = delete;
  OwnedFolder& operator=(const OwnedFolder&) = delete;
  OwnedFolder& operator=(OwnedFolder&&) = delete;
  // A new private (0700) folder "<$TMPDIR or /tmp>/elv-<purpose>-XXXXXX". Throws elv::Error
  // naming the parent when it cannot be made.
  static OwnedFolder create_temporary(const std::string& purpose);
  const std::string& path() const { return path_; }
  std::string release() { return std::exchange(path_, std::string()); }

 private:
  std::string path_;
};

// Copies in (standard input, say) to a new file at path until its end, for readers that
// need a regular file. Throws elv::Error naming path when the copy cannot be written (a
// full disk) or `in` fails before its end.
void copy_stream_to_file(std::istream& in, const std::string& path);

// copy_stream_to_file through path + ".tmp" and a rename, as write_file_atomically.
void copy_stream_atomically(std::istream& in, const std::string& path);

}  // namespace elv::io
