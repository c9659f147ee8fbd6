// What --overwrite may replace (run/overwrite_check.h): the pure decision on facts, then
// RunFolder's checks on real folders (up front and again at commit).
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "base/error.h"
#include "run/overwrite_check.h"
#include "run/run_folder.h"

namespace elv::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---- the decision, on facts alone

OutDirFacts run_facts() {  // an elv run that recorded its artifacts, away from cwd
  OutDirFacts f;
  f.folder = "/work/runs/r1";
  f.cwd = "/home/me";
  f.metadata = json{
      {"run_id", "r1"}, {"elv_version", "1"}, {"artifacts", {"metadata.json", "table.csv.gz"}}};
  f.entries = {"metadata.json", "table.csv.gz"};
  return f;
}

TEST(RunFolderDecision, AnElvRunHoldingOnlyItsArtifactsMayBeReplaced) {
  EXPECT_EQ(overwrite_refusal(run_facts()), "");
  OutDirFacts f = run_facts();
  f.entries.push_back("report.html");  // `elv report` adds it after the run
  EXPECT_EQ(overwrite_refusal(f), "");
  f.entries = {"advice.json", "advice.md", "metadata.json", "table.csv.gz"};  // `elv advise --save`
  EXPECT_EQ(overwrite_refusal(f), "");
}

TEST(RunFolderDecision, AFileElvDidNotWriteIsRefused) {
  OutDirFacts f = run_facts();
  f.entries = {"metadata.json", "notes.txt", "table.csv.gz", "zz.txt"};
  EXPECT_EQ(overwrite_refusal(f),
            "this run folder holds notes.txt, which elv did not write (and 1 more)");
  f.entries = {"data", "data/mine.csv", "metadata.json", "table.csv.gz"};  // at any depth
  EXPECT_NE(overwrite_refusal(f).find("data"), std::string::npos);
}

TEST(RunFolderDecision, ACreativeAnalysisInsideTheRunCountsAsElvs) {
  // `creative-analyze --run-dir` wrote creatives/ later, recording its own artifacts.
  OutDirFacts f = run_facts();
  f.entries = {"creatives", "creatives/creative_clusters.csv", "creatives/metadata.json",
               "metadata.json", "table.csv.gz"};
  f.nested_artifacts = {"creatives", "creatives/creative_clusters.csv", "creatives/metadata.json"};
  EXPECT_EQ(overwrite_refusal(f), "");
  f.entries.push_back("creatives/notes.txt");  // added by hand: not elv's
  std::sort(f.entries.begin(), f.entries.end());
  EXPECT_EQ(overwrite_refusal(f),
            "this run folder holds creatives/notes.txt, which elv did not write");
  f.nested_artifacts.clear();  // no elv metadata in creatives/: all of it is a stranger
  EXPECT_NE(overwrite_refusal(f).find("creatives"), std::string::npos);
}

TEST(RunFolderDecision, OlderRunsWithoutAListAreJudgedByElvsFixedNames) {
  OutDirFacts f = run_facts();
  f.metadata->erase("artifacts");
  f.entries = {"data",          "data/ads.csv", "leaderboard_campaign.csv",
               "metadata.json", "model.json",   "report.html"};
  EXPECT_EQ(overwrite_refusal(f), "");
  f.entries.push_back("notes.txt");
  EXPECT_EQ(overwrite_refusal(f), "this run folder holds notes.txt, which elv did not write");
}

TEST(RunFolderDecision, AFolderWithoutElvMetadataIsNotARun) {
  OutDirFacts f = run_facts();
  f.metadata.reset();
  f.entries = {"ads.csv", "leads.csv"};
  EXPECT_EQ(overwrite_refusal(f),
            "this folder is not an elv run (it holds ads.csv, which elv did not write)");
  f.entries = {"model.json"};
  EXPECT_EQ(overwrite_refusal(f),
            "this folder is not an elv run (it has no metadata.json written by elv)");
  f.metadata = json{{"run_id", "x"}};  // someone else's metadata.json
  f.entries = {"metadata.json"};
  EXPECT_EQ(overwrite_refusal(f),
            "this folder is not an elv run (it has no metadata.json written by elv)");
}

TEST(RunFolderDecision, AFolderHoldingAFileTheRunReadsIsRefused) {
  OutDirFacts f = run_facts();
  f.kept = {{"the input paths.ads_path", "/work/runs/r1/inputs/ads.csv"}};
  EXPECT_EQ(overwrite_refusal(f),
            "it holds the input paths.ads_path (/work/runs/r1/inputs/ads.csv)");
  f.cwd = "/work";  // shown relative to the current folder
  EXPECT_EQ(overwrite_refusal(f), "it holds the input paths.ads_path (runs/r1/inputs/ads.csv)");
  f.kept = {{"the config file", "/work/runs/r10/c.yaml"}};  // a sibling with a longer name
  EXPECT_EQ(overwrite_refusal(f), "");
}

TEST(RunFolderDecision, TheCurrentFolderItsAncestorsAndTheRootAreRefused) {
  OutDirFacts f = run_facts();
  f.cwd = f.folder;
  EXPECT_EQ(overwrite_refusal(f), "it is the current folder");
  f.cwd = "/work/runs/r1/sub";
  EXPECT_EQ(overwrite_refusal(f), "it holds the current folder (/work/runs/r1/sub)");
  f.folder = "/";
  EXPECT_EQ(overwrite_refusal(f), "it is the root folder");
  f.entries.clear();  // even empty
  EXPECT_EQ(location_refusal(f), "it is the root folder");
}

TEST(RunFolderDecision, AnEmptyOrUnlistableFolder) {
  OutDirFacts f = run_facts();
  f.metadata.reset();
  f.entries.clear();
  EXPECT_EQ(overwrite_refusal(f), "");
  f.unreadable = true;
  EXPECT_NE(overwrite_refusal(f), "");
}

// ---- RunFolder on real folders

class RunFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("elv_run_folder_test_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string path(const std::string& name) const { return (root_ / name).string(); }
  static void write(const std::string& file, const std::string& text) {
    fs::create_directories(fs::path(file).parent_path());
    std::ofstream(file) << text;
  }
  // A committed run, as the pipelines leave it: metadata.json with its artifacts.
  void make_run(const std::string& dir) {
    write(dir + "/table.csv.gz", "t");
    write(dir + "/metadata.json", json{{"run_id", "r"},
                                       {"elv_version", "1"},
                                       {"artifacts", {"metadata.json", "table.csv.gz"}}}
                                      .dump());
  }
  static std::string refusal(const std::string& dir, bool overwrite,
                             const std::vector<KeptPath>& kept = {}) {
    try {
      RunFolder::check_out_dir(dir, overwrite, kept);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  fs::path root_;
};

TEST_F(RunFolderTest, OverwriteReplacesAnElvRun) {
  make_run(path("out"));
  EXPECT_EQ(refusal(path("out"), true), "");
  RunFolder run = RunFolder::create(path("out"), true, "runs");
  write(run.file("metadata.json"), "new");
  run.commit();
  EXPECT_FALSE(fs::exists(path("out/table.csv.gz")));
  EXPECT_EQ(folder_entries(path("out")), std::vector<std::string>{"metadata.json"});
}

TEST_F(RunFolderTest, RefusesAFolderThatIsNotARunOrHoldsAnInput) {
  write(path("data/ads.csv"), "a");
  EXPECT_EQ(refusal(path("data"), true),
            path("data") +
                ": --overwrite refused: this folder is not an elv run (it holds ads.csv, which elv "
                "did not write); choose an empty or new --out-dir");
  make_run(path("out"));
  write(path("out/inputs/leads.csv"), "l");
  const std::string why =
      refusal(path("out"), true, {{"the input paths.leads_path", path("out/inputs/leads.csv")}});
  EXPECT_NE(why.find("it holds the input paths.leads_path"), std::string::npos) << why;
  // Without --overwrite, any non-empty folder is refused as before.
  EXPECT_NE(refusal(path("out"), false).find("--out-dir is not empty"), std::string::npos);
}

TEST_F(RunFolderTest, AnInputReachedThroughASymlinkCounts) {
  make_run(path("out"));
  write(path("out/ads.csv"), "a");
  fs::create_directory_symlink(path("out"), path("link"));
  const std::string why =
      refusal(path("out"), true, {{"the input paths.ads_path", path("link/ads.csv")}});
  EXPECT_NE(why.find("it holds the input paths.ads_path"), std::string::npos) << why;
}

TEST_F(RunFolderTest, TheCurrentFolderIsRefusedEvenWhenEmpty) {
  fs::create_directories(path("here"));
  const fs::path saved = fs::current_path();
  fs::current_path(path("here"));
  const std::string empty_dot = refusal(".", false);
  make_run(".");
  const std::string run_dot = refusal(".", true);
  const std::string parent = refusal("..", true);
  fs::current_path(saved);
  EXPECT_NE(empty_dot.find("it is the current folder"), std::string::npos) << empty_dot;
  EXPECT_NE(run_dot.find("it is the current folder"), std::string::npos) << run_dot;
  EXPECT_NE(parent.find("it holds the current folder"), std::string::npos) << parent;
}

TEST_F(RunFolderTest, CommitChecksAgainAndKeepsAFileAddedMeanwhile) {
  make_run(path("out"));
  RunFolder run = RunFolder::create(path("out"), true, "runs");
  write(run.file("metadata.json"), "new");
  write(path("out/notes.txt"), "keep me");  // added while the run was working
  EXPECT_THROW(run.commit(), Error);
  EXPECT_TRUE(fs::exists(path("out/notes.txt")));
  EXPECT_TRUE(fs::exists(path("out/table.csv.gz")));
}

TEST_F(RunFolderTest, CommitWithoutOverwriteRefusesAFolderCreatedMeanwhile) {
  RunFolder run = RunFolder::create(path("out"), false, "runs");
  write(path("out/notes.txt"), "keep me");
  EXPECT_THROW(run.commit(), Error);
  EXPECT_EQ(folder_entries(path("out")), std::vector<std::string>{"notes.txt"});
}

}  // namespace
}  // namespace elv::run
