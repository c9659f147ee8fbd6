// io/files.h: the owned temporary folder and the stream copy batch-score's standard input
// goes through.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "base/error.h"
#include "io/files.h"

namespace elv::io {
namespace {

namespace fs = std::filesystem;

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(OwnedFolder, TemporaryFolderIsPrivateAndRemovedWithItsContents) {
  std::string path;
  {
    const OwnedFolder folder = OwnedFolder::create_temporary("unit");
    path = folder.path();
    EXPECT_NE(fs::path(path).filename().string().rfind("elv-unit-", 0), std::string::npos);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    fs::create_directories(fs::path(path) / "run" / "deep");
    std::ofstream(fs::path(path) / "run" / "deep" / "f.csv") << "x\n";
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(OwnedFolder, MovedOrReleasedFolderIsLeftInPlace) {
  const OwnedFolder first = OwnedFolder::create_temporary("unit");
  const std::string& path = first.path();
  {
    OwnedFolder second(OwnedFolder::create_temporary("unit"));
    OwnedFolder moved(std::move(second));
    EXPECT_TRUE(second.path().empty());  // NOLINT(bugprone-use-after-move): the point
    const std::string kept = moved.release();
    EXPECT_TRUE(fs::exists(kept));
    fs::remove_all(kept);
  }
  EXPECT_TRUE(fs::exists(path));
}

TEST(OwnedFolder, UnwritableParentNamesItAndSaysWhatToDo) {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", "/nonexistent-elv-parent", 1);
  try {
    (void)OwnedFolder::create_temporary("unit");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.file(), "/nonexistent-elv-parent");
    EXPECT_NE(std::string(e.what()).find("set TMPDIR"), std::string::npos) << e.what();
  }
  if (old)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
}

TEST(CopyStreamToFile, CopiesEveryBytePastTheBlockSize) {
  const OwnedFolder folder = OwnedFolder::create_temporary("unit");
  std::string text;
  for (int i = 0; text.size() < (3u << 20) + 17; ++i) text += "lead_" + std::to_string(i) + ",\r\n";
  text.push_back('\0');
  std::istringstream in(text);
  const std::string path = folder.path() + "/copy.csv";
  copy_stream_to_file(in, path);
  EXPECT_EQ(read_all(path), text);
}

TEST(CopyStreamToFile, UnwritableTargetIsNamed) {
  std::istringstream in("a,b\n");
  try {
    copy_stream_to_file(in, "/nonexistent-elv-folder/copy.csv");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.file(), "/nonexistent-elv-folder/copy.csv");
  }
}

// A stream that fails part-way (a broken pipe, a read error): badbit after the first bytes.
struct FailingBuffer : std::streambuf {
  int_type underflow() override { throw std::ios_base::failure("read error"); }
};

TEST(CopyStreamAtomically, ReplacesTheFileWholeOrNotAtAll) {
  const OwnedFolder folder = OwnedFolder::create_temporary("unit");
  const std::string path = folder.path() + "/predictions.csv";
  std::istringstream first("lead_id\nL1\n");
  copy_stream_atomically(first, path);
  EXPECT_EQ(read_all(path), "lead_id\nL1\n");

  FailingBuffer failing;
  std::istream broken(&failing);
  EXPECT_THROW(copy_stream_atomically(broken, path), Error);
  EXPECT_EQ(read_all(path), "lead_id\nL1\n");  // the old file, untouched
  EXPECT_FALSE(fs::exists(path + ".tmp"));     // and no half-written copy left
}

}  // namespace
}  // namespace elv::io
