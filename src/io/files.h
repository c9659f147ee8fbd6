// Checks on input paths before they are opened.
#pragma once
#include <string>

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

}  // namespace elv::io
