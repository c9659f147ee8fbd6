// Names from URLs: only plain names reach the disk.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "server/safe_paths.h"

namespace fs = std::filesystem;

namespace elv::server {
namespace {

TEST(SafeName, AcceptsRunIdsAndArtifactNames) {
  EXPECT_TRUE(is_safe_name("20261125T141500Z-a1b2c3"));
  EXPECT_TRUE(is_safe_name("predictions.csv"));
  EXPECT_TRUE(is_safe_name("leaderboard_adset.csv"));
  EXPECT_TRUE(is_safe_name("my-run_2"));
}

TEST(SafeName, RefusesTraversalHiddenAbsoluteAndOdd) {
  for (const char* bad : {"", "..", "../x", "a/../b", "a..b", ".hidden", "/etc/passwd", "a/b",
                          "a\\b", "-rf", "a b", "a\nb", "%2e%2e", "é"})
    EXPECT_FALSE(is_safe_name(bad)) << bad;
  EXPECT_FALSE(is_safe_name(std::string(129, 'a')));
}

class ArtifactFile : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("elv-names-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "runs" / "r1" / "data");
    std::ofstream(root_ / "runs" / "r1" / "predictions.csv") << "x\n";
    std::ofstream(root_ / "runs" / "r1" / "data" / "ads.csv") << "x\n";
    std::ofstream(root_ / "secret.txt") << "secret\n";
    fs::create_symlink(root_ / "secret.txt", root_ / "runs" / "r1" / "link.csv");
    fs::create_directory_symlink(root_, root_ / "runs" / "escape");
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string runs() const { return (root_ / "runs").string(); }
  fs::path root_;
};

TEST_F(ArtifactFile, FindsFilesAndOneLevelOfSubfolders) {
  const auto run = run_folder(runs(), "r1");
  ASSERT_TRUE(run);
  EXPECT_TRUE(artifact_file(*run, "predictions.csv"));
  EXPECT_TRUE(artifact_file(*run, "data/ads.csv"));
  EXPECT_FALSE(artifact_file(*run, "data"));  // a folder is not a file
  EXPECT_FALSE(artifact_file(*run, "missing.csv"));
}

TEST_F(ArtifactFile, NeverFollowsSymlinksOrLeavesTheRun) {
  const auto run = run_folder(runs(), "r1");
  ASSERT_TRUE(run);
  EXPECT_FALSE(artifact_file(*run, "link.csv"));
  EXPECT_FALSE(artifact_file(*run, "../../secret.txt"));
  EXPECT_FALSE(artifact_file(*run, "data/../../../secret.txt"));
  EXPECT_FALSE(artifact_file(*run, "/etc/passwd"));
  EXPECT_FALSE(artifact_file(*run, "data/x/y"));
  EXPECT_FALSE(run_folder(runs(), "escape"));  // a symlinked run folder
  EXPECT_FALSE(run_folder(runs(), ".."));
  EXPECT_FALSE(run_folder(runs(), "nope"));
}

}  // namespace
}  // namespace elv::server
