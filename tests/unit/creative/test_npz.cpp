// creative_embeddings.npz read back by numpy itself (Debian's python3-numpy): names, shapes,
// dtypes and every value, with ad ids outside ASCII.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <gtest/gtest.h>

#include "base/error.h"
#include "creative/npz.h"

namespace elv::creative {
namespace {

namespace fs = std::filesystem;

std::string run_python(const std::string& script) {
  const std::string command = "/usr/bin/python3 -c '" + script + "' 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::string out;
  char buffer[4096];
  while (size_t got = fread(buffer, 1, sizeof buffer, pipe.get())) out.append(buffer, got);
  return out;
}

class CreativeNpz : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("elv_npz_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};

TEST_F(CreativeNpz, NumpyReadsNamesShapesDtypesAndValues) {
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  const std::string path = (dir / "e.npz").string();
  // "é" (2 bytes), "€" (3 bytes), "😀" (4 bytes): one code point each in numpy's '<U'.
  const std::vector<std::string> ids = {"123", "ad-\xC3\xA9\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
  const Embeddings e{3, 2, {0.6f, 0.8f, -1.0f, 0.0f, 0.25f, -0.5f}};
  write_embeddings_npz(path, ids, e);
  const std::string out = run_python(
      "import numpy as np, zipfile\n"
      "z = np.load(\"" +
      path +
      "\")\n"
      "print(sorted(z.files))\n"
      "a = z[\"ad_id\"]; m = z[\"embedding\"]\n"
      "print(a.dtype.str, a.shape, m.dtype.str, m.shape)\n"
      "print([len(s) for s in a], a[0], a[1].encode().hex(), a[2].encode().hex())\n"
      "print(m.tolist())\n"
      "print([i.compress_type for i in zipfile.ZipFile(\"" +
      path + "\").infolist()])\n");
  EXPECT_EQ(out,
            "['ad_id', 'embedding']\n"
            "<U5 (3,) <f4 (3, 2)\n"
            "[3, 5, 1] 123 61642dc3a9e282ac f09f9880\n"
            "[[0.6000000238418579, 0.800000011920929], [-1.0, 0.0], [0.25, -0.5]]\n"
            "[0, 0]\n");
}

TEST_F(CreativeNpz, NumpyReadsAnEmptyArchiveAndDataIsAligned) {
  if (!fs::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  const std::string path = (dir / "empty.npz").string();
  write_embeddings_npz(path, {}, Embeddings{0, 4, {}});
  const std::string out = run_python(
      "import numpy as np, zipfile\n"
      "z = np.load(\"" +
      path +
      "\")\n"
      "print(z[\"ad_id\"].shape, z[\"embedding\"].shape)\n"
      "zf = zipfile.ZipFile(\"" +
      path +
      "\")\n"
      "for n in zf.namelist():\n"
      "  b = zf.read(n); hl = b[8] + 256 * b[9]; print(n, (10 + hl) % 64, b[:8])\n");
  EXPECT_EQ(out,
            "(0,) (0, 4)\n"
            "ad_id.npy 0 b'\\x93NUMPY\\x01\\x00'\n"
            "embedding.npy 0 b'\\x93NUMPY\\x01\\x00'\n");
}

TEST_F(CreativeNpz, UnwritablePathNamesTheFile) {
  const std::string path = (dir / "missing-folder" / "e.npz").string();
  try {
    write_embeddings_npz(path, {"1"}, Embeddings{1, 1, {1}});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("e.npz"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace elv::creative
