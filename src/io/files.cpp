#include "io/files.h"

#include <stdlib.h>  // mkdtemp

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <vector>

#include <sys/stat.h>

#include "base/error.h"

namespace elv::io {

namespace {

const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

// strerror's text in the middle of a message: "Too many levels" -> "too many levels".
std::string lowercase_first(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

}  // namespace

void require_regular_file(const std::string& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) throw Error(what + " not found", path);
    throw Error("cannot open file: " + lowercase_first(std::strerror(err)), path);
  }
  if (S_ISREG(st.st_mode)) return;
  if (S_ISDIR(st.st_mode)) throw Error("is a folder, not a " + what, path);
  throw Error(
      std::string("not a regular file (") + kind_of(st.st_mode) + "); give the path of a " + what,
      path);
}

namespace {

// Writes path through path + ".tmp" (write(tmp) fills it, throwing on failure) and a rename;
// a failed write removes the temporary file, so no half-written file is left behind.
template <typename Write>
void write_through_temporary(const std::string& path, Write write) {
  const std::string tmp = path + ".tmp";
  std::error_code ec;
  try {
    write(tmp);
  } catch (...) {
    std::filesystem::remove(tmp, ec);
    throw;
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw Error("cannot rename into place: " + ec.message(), path);
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view text) {
  write_through_temporary(path, [text](const std::string& tmp) {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw Error("cannot open for writing", tmp);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) throw Error("write failed (disk full?)", tmp);
  });
}

void copy_stream_atomically(std::istream& in, const std::string& path) {
  write_through_temporary(path, [&in](const std::string& tmp) { copy_stream_to_file(in, tmp); });
}

OwnedFolder::~OwnedFolder() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

OwnedFolder OwnedFolder::create_temporary(const std::string& purpose) {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string parent = tmpdir && *tmpdir ? tmpdir : "/tmp";
  std::string pattern = parent + "/elv-" + purpose + "-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr)
    throw Error("cannot make a temporary folder: " + lowercase_first(std::strerror(errno)) +
                    " (set TMPDIR to a writable folder)",
                parent);
  return OwnedFolder(std::string(buf.data()));
}

void copy_stream_to_file(std::istream& in, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Error("cannot open for writing", path);
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    out.write(block.data(), in.gcount());
    if (!out) throw Error("write failed (disk full?)", path);
  }
  if (in.bad()) throw Error("reading the input failed before its end", path);
  out.flush();
  if (!out) throw Error("write failed (disk full?)", path);
}

bool close_checked(UniqueFile& file) {
  if (!file) return true;
  return std::fclose(file.release()) == 0;
}

}  // namespace elv::io
