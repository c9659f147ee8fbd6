// The Creatives tab's server side (server/creatives.h, docs/SERVE.md): zip uploads unpacked
// under limits (names, sizes, entries, links, bombs; a refused zip writes nothing), the
// analysis as JSON, thumbnails served by row number only, and the upload's refusals; with the
// pipeline, an upload analysed as a job against a demo run. Zips are made by Python's zipfile
// (Debian's /usr/bin/python3), which writes any name it is given, as an attacker's tool would.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "../report/creatives_fixture.h"
#include "base/error.h"
#include "serve_test_util.h"
#include "server/creatives.h"

namespace elv::server {
namespace {

// An entry of a test zip: its name, and its bytes (or `zeros` zero bytes, deflated).
struct Entry {
  std::string name;
  std::string data;
  size_t zeros = 0;
  bool symlink = false;
};

void make_zip(const fs::path& zip, const std::vector<Entry>& entries) {
  json spec = json::array();
  for (const Entry& e : entries)
    spec.push_back(
        {{"name", e.name}, {"data", e.data}, {"zeros", e.zeros}, {"symlink", e.symlink}});
  const fs::path spec_path = zip.string() + ".json", script = zip.string() + ".py";
  std::ofstream(spec_path) << spec.dump();
  std::ofstream(script) << R"(import json, sys, warnings, zipfile
warnings.simplefilter('ignore')
with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
    for e in json.load(open(sys.argv[1])):
        info = zipfile.ZipInfo(e['name'])
        info.compress_type = zipfile.ZIP_DEFLATED
        if e['symlink']:
            info.create_system = 3
            info.external_attr = (0o120777 << 16)
        z.writestr(info, b'\0' * e['zeros'] if e['zeros'] else e['data'].encode())
)";
  const std::string command = "/usr/bin/python3 '" + script.string() + "' '" + spec_path.string() +
                              "' '" + zip.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

class CreativeZip : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) / ("elv-creative-zip-" + std::string(info->name()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // The message of the refusal, or "" when the zip was unpacked.
  std::string refusal(const std::vector<Entry>& entries, const ZipLimits& limits = {}) {
    make_zip(root_ / "in.zip", entries);
    try {
      extract_zip((root_ / "in.zip").string(), (root_ / "out").string(), limits);
    } catch (const UsageError& e) {
      // Refused before a byte was written.
      EXPECT_FALSE(fs::exists(root_ / "out") && !fs::is_empty(root_ / "out")) << e.what();
      return e.what();
    }
    return "";
  }

  fs::path root_;
};

TEST_F(CreativeZip, UnpacksFilesAndFoldersAndSkipsFinderLitter) {
  make_zip(root_ / "in.zip", {{"a.png", "AAA"},
                              {"ads/", ""},
                              {"ads/b c.jpg", "BB"},
                              {"__MACOSX/ads/._b c.jpg", "junk"},
                              {"ads/.DS_Store", "junk"}});
  const uint64_t n = extract_zip((root_ / "in.zip").string(), (root_ / "out").string(), {});
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(read_file(root_ / "out" / "a.png"), "AAA");
  EXPECT_EQ(read_file(root_ / "out" / "ads" / "b c.jpg"), "BB");
  EXPECT_FALSE(fs::exists(root_ / "out" / "__MACOSX"));
  EXPECT_FALSE(fs::exists(root_ / "out" / "ads" / ".DS_Store"));
}

TEST_F(CreativeZip, RefusesNamesThatLeaveTheFolder) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"../up.png", "'..' part"},
      {"ads/../../up.png", "'..' part"},
      {"/etc/up.png", "absolute path"},
      {"ads\\..\\up.png", "backslash"},
      {"C:up.png", "drive"},
      {"ads/./up.png", "'.' part"},
      {"ads//up.png", "empty folder"},
  };
  for (const auto& [name, why] : cases) {
    const std::string message = refusal({{"ok.png", "x"}, {name, "x"}});
    EXPECT_NE(message.find("'" + name + "'"), std::string::npos) << name << ": " << message;
    EXPECT_NE(message.find(why), std::string::npos) << name << ": " << message;
    fs::remove_all(root_ / "out");
  }
  EXPECT_FALSE(fs::exists(root_ / "up.png"));
  EXPECT_FALSE(fs::exists(root_.parent_path() / "up.png"));
}

TEST_F(CreativeZip, RefusesLinksDuplicatesAndControlCharacters) {
  EXPECT_NE(refusal({{"link.png", "/etc/passwd", 0, true}}).find("'link.png' is a symbolic link"),
            std::string::npos);
  EXPECT_NE(refusal({{"a.png", "1"}, {"a.png", "2"}}).find("'a.png' appears twice"),
            std::string::npos);
  const std::string control = refusal({{std::string("a\x01.png"), "1"}});
  EXPECT_NE(control.find("entry 1"), std::string::npos) << control;
  EXPECT_NE(control.find("control character"), std::string::npos) << control;
}

TEST_F(CreativeZip, RefusesTooManyTooLargeAndBombs) {
  ZipLimits small;
  small.max_entries = 3;
  small.max_entry_bytes = 100;
  small.max_total_bytes = 150;
  EXPECT_NE(refusal({{"1.png", "x"}, {"2.png", "x"}, {"3.png", "x"}, {"4.png", "x"}}, small)
                .find("4 entries; at most 3"),
            std::string::npos);
  EXPECT_NE(refusal({{"big.png", std::string(101, 'x')}}, small).find("'big.png' unpacks to"),
            std::string::npos);
  EXPECT_NE(refusal({{"a.png", std::string(80, 'x')}, {"b.png", std::string(80, 'y')}}, small)
                .find("'b.png' takes the unpacked size over the limit"),
            std::string::npos);
  // 8 MB of zeros deflate to a few KB: no picture or video shrinks a thousand times.
  const std::string bomb = refusal({{"bomb.png", "", 8 << 20}});
  EXPECT_NE(bomb.find("'bomb.png' is compressed"), std::string::npos) << bomb;
  EXPECT_NE(bomb.find("zip bomb"), std::string::npos);
}

TEST_F(CreativeZip, RefusesWhatIsNotAZip) {
  test::write_text(root_ / "in.zip", "PK but not really a zip");
  EXPECT_THROW(extract_zip((root_ / "in.zip").string(), (root_ / "out").string(), {}), UsageError);
}

// ---------------------------------------------------------------------------------------
// Routes

class CreativeRoutes : public ServeTest {
 protected:
  // A scored run with a hand-written analysis in creatives/.
  fs::path hand_made_run(const std::string& id) {
    const fs::path run = root_ / "runs" / id;
    test::write_text(run / "metadata.json",
                     json{{"run_id", id}, {"run_kind", "score"}, {"currency", "USD"}}.dump());
    test::write_text(run / "predictions.csv", "lead_id,ad_id,p_qualified_14d,elv\nl1,a1,0.5,5\n");
    thumbs_ = test::write_creative_assets(run / "creatives", {{"a1", "0", "/Users/me/one.png"},
                                                              {"a2", "1", "/Users/me/two.png"},
                                                              {"a3", "1", "/Users/me/three.png"}});
    test::write_text(run / "creatives" / "creative_cluster_summary.csv",
                     "cluster_id,creatives,leads,mean_p_qualified,predicted_elv,spend,"
                     "elv_per_spend,labeled_leads,qualified_rate_labeled,low_volume,currency\n"
                     "0,1,50,0.2,100,50,2,,,false,\n1,2,80,0.3,400,100,4,20,0.25,false,\n");
    std::string neighbors = "ad_id,neighbor_ad_id,rank,similarity\n";
    for (int r = 1; r <= 12; ++r)
      neighbors += "a1,n" + std::to_string(r) + "," + std::to_string(r) + ",0." +
                   std::to_string(99 - r) + "\n";
    test::write_text(run / "creatives" / "creative_neighbors.csv", neighbors);
    test::write_text(run / "creatives" / "creative_errors.csv",
                     "line,ad_id,media_path,reason\n5,a9,/Users/me/gone.png,file not found\n");
    test::write_text(run / "creatives" / "metadata.json", json{{"encoder", "builtin-v1"}}.dump());
    return run;
  }

  bool no_uploads_left() {
    for (const auto& e : fs::directory_iterator(root_ / "runs"))
      if (e.path().filename().string().rfind(".upload-", 0) == 0) return false;
    return true;
  }

  httplib::Result post_creatives(const std::string& run,
                                 const httplib::MultipartFormDataItems& items) {
    return client_->Post("/api/runs/" + run + "/creatives", items);
  }

  static httplib::MultipartFormData part(const std::string& field, const std::string& name,
                                         const std::string& bytes) {
    return {field, bytes, name, "application/octet-stream"};
  }

  std::vector<std::string> thumbs_;
};

TEST_F(CreativeRoutes, AnalysisAsJsonRankedWithoutPaths) {
  hand_made_run("r1");
  auto res = get("/api/runs/r1/creatives");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->body.find("/Users/me"), std::string::npos);  // never the originals' paths
  const json j = json::parse(res->body);
  EXPECT_EQ(j["creatives"], 3);
  EXPECT_EQ(j["encoder"], "builtin-v1");
  EXPECT_EQ(j["currency"], "USD");  // the summary's cells are empty: the run's
  EXPECT_EQ(j["errors"], 1);
  EXPECT_EQ(j["errors_file"], "creatives/creative_errors.csv");
  ASSERT_EQ(j["clusters"].size(), 2u);
  EXPECT_EQ(j["clusters"][0]["id"], "1");  // 4 per spend before 2
  EXPECT_EQ(j["clusters"][0]["rank"], 1);
  EXPECT_EQ(j["clusters"][0]["members"], json({"a2", "a3"}));
  EXPECT_DOUBLE_EQ(j["clusters"][0]["predicted_elv"].get<double>(), 400);
  EXPECT_TRUE(j["clusters"][1]["qualified_rate_labeled"].is_null());
  EXPECT_EQ(j["assets"][2]["thumbnail"], "/api/runs/r1/creatives/thumbnails/2.jpg");
  EXPECT_EQ(j["assets"][2]["width"], 64);
  ASSERT_EQ(j["neighbors"]["a1"].size(), 10u);  // the top 10 of 12
  EXPECT_EQ(j["neighbors"]["a1"][0]["ad_id"], "n1");
  EXPECT_DOUBLE_EQ(j["neighbors"]["a1"][0]["similarity"].get<double>(), 0.98);
  // The errors file is downloadable from the run.
  auto errors = get("/api/runs/r1/files/creatives/creative_errors.csv");
  ASSERT_TRUE(errors);
  EXPECT_EQ(errors->status, 200);
}

TEST_F(CreativeRoutes, ThumbnailsOnlyByRowNumber) {
  hand_made_run("r1");
  auto res = get("/api/runs/r1/creatives/thumbnails/1.jpg");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_EQ(res->body, thumbs_[1]);
  for (const std::string bad : {"3.jpg", "-1.jpg", "1e0.jpg", "01x.jpg", "1234567890.jpg",
                                "..%2F..%2F..%2Fsecret.jpg", "%2E%2E.jpg", "0.png"}) {
    auto r = get("/api/runs/r1/creatives/thumbnails/" + bad);
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 404) << bad;
    EXPECT_EQ(r->body.find("TOP-SECRET"), std::string::npos);
  }
  // A thumbnail replaced by a link is not followed.
  const fs::path thumb = root_ / "runs" / "r1" / "creatives" / "thumbnails" / "0.jpg";
  fs::remove(thumb);
  fs::create_symlink(root_ / "secret.txt", thumb);
  auto linked = get("/api/runs/r1/creatives/thumbnails/0.jpg");
  ASSERT_TRUE(linked);
  EXPECT_EQ(linked->status, 404);
}

TEST_F(CreativeRoutes, RunWithoutAnalysisIs404WithWhatToDo) {
  test::write_text(root_ / "runs" / "plain" / "metadata.json", json{{"run_kind", "score"}}.dump());
  const json j = get_json("/api/runs/plain/creatives", 404);
  EXPECT_NE(j["error"].get<std::string>().find("upload creative_media.csv"), std::string::npos);
  get_json("/api/runs/nope/creatives", 404);
  get_json("/api/runs/plain/creatives/thumbnails/0.jpg", 404);
}

TEST_F(CreativeRoutes, UploadRefusals) {
  hand_made_run("r1");
  test::write_text(root_ / "runs" / "unscored" / "metadata.json",
                   json{{"run_kind", "build-table"}}.dump());
  const std::string csv = "ad_id,media_path\na1,a.png\n";
  auto expect_refused = [&](const std::string& run, const httplib::MultipartFormDataItems& items,
                            int status, const std::string& says) {
    auto res = post_creatives(run, items);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status) << res->body;
    EXPECT_NE(res->body.find(says), std::string::npos) << res->body;
    EXPECT_TRUE(no_uploads_left());
  };
  expect_refused("r1", {part("media", "a.png", "x")}, 400, "creative_media.csv is required");
  expect_refused("r1", {part("creative_media", "c.csv", csv)}, 400, "send the pictures and videos");
  expect_refused("r1", {part("creative_media", "c.csv", csv), part("other", "a.png", "x")}, 400,
                 "unknown upload field 'other'");
  expect_refused("r1", {part("creative_media", "c.csv", csv), part("media", ".hidden.png", "x")},
                 400, "file name not accepted");
  expect_refused("r1",
                 {part("creative_media", "c.csv", csv), part("media", "a.png", "x"),
                  part("media", "a.png", "y")},
                 400, "two files are named a.png");
  expect_refused("r1",
                 {part("creative_media", "c.csv", csv), part("media", "a.png", "x"),
                  part("media", "m.zip", "PK")},
                 400, "not both");
  expect_refused("unscored", {part("creative_media", "c.csv", csv), part("media", "a.png", "x")},
                 400, "no predictions.csv");
  expect_refused("nope", {part("creative_media", "c.csv", csv), part("media", "a.png", "x")}, 404,
                 "no such run");
  make_zip(root_ / "evil.zip", {{"a.png", "x"}, {"../../escape.png", "x"}});
  expect_refused("r1",
                 {part("creative_media", "c.csv", csv),
                  part("media", "evil.zip", read_file(root_ / "evil.zip"))},
                 400, "'../../escape.png'");
  EXPECT_FALSE(fs::exists(root_ / "escape.png"));
  EXPECT_FALSE(fs::exists(root_ / "runs" / "escape.png"));
  // The earlier analysis is untouched by refused uploads.
  EXPECT_TRUE(fs::exists(root_ / "runs" / "r1" / "creatives" / "creative_assets.csv"));
}

TEST_F(CreativeRoutes, UploadOverTheFileLimitIs413) {
  stop_server();
  start_server(1);
  hand_made_run("r1");
  auto res = post_creatives("r1", {part("creative_media", "c.csv", "ad_id,media_path\na1,a.png\n"),
                                   part("media", "a.png", std::string((1 << 20) + 10, 'x'))});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413) << res->body;
  EXPECT_NE(res->body.find("a.png is larger than the upload limit of 1 MB"), std::string::npos);
  EXPECT_TRUE(no_uploads_left());
}

// Pictures made here: three families (red, blue, a striped pattern), two of each.
std::string png(int family, int variant) {
  cv::Mat picture(96, 96, CV_8UC3, cv::Scalar(0, 0, 0));
  if (family == 0) picture.setTo(cv::Scalar(20, 20, 220 - 10 * variant));
  if (family == 1) picture.setTo(cv::Scalar(220 - 10 * variant, 30, 20));
  if (family == 2)
    for (int x = 0; x < 96; x += 12)
      cv::rectangle(picture, {x, 0}, {x + 5, 95}, cv::Scalar(255, 255, 255 - 20 * variant), -1);
  std::vector<uchar> bytes;
  cv::imencode(".png", picture, bytes);
  return std::string(bytes.begin(), bytes.end());
}

std::vector<std::string> ad_ids_of(const fs::path& predictions) {
  std::ifstream in(predictions);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  for (size_t at = 0; at <= line.size();) {
    const size_t comma = std::min(line.find(',', at), line.size());
    header.push_back(line.substr(at, comma - at));
    at = comma + 1;
  }
  const auto col = std::find(header.begin(), header.end(), "ad_id") - header.begin();
  std::vector<std::string> ids;
  while (std::getline(in, line)) {
    size_t at = 0;
    for (long i = 0; i < col; ++i) at = line.find(',', at) + 1;
    const std::string id = line.substr(at, line.find(',', at) - at);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

TEST_F(CreativeRoutes, UploadAnalysedAsAJobAgainstTheRun) {
  const std::string run = demo_run_id();
  const auto ids = ad_ids_of(root_ / "runs" / run / "predictions.csv");
  ASSERT_GE(ids.size(), 6u);
  std::string csv = "ad_id,media_path\n";
  httplib::MultipartFormDataItems items;
  for (int i = 0; i < 6; ++i) {
    const std::string name = "ad " + std::to_string(i) + ".png";
    csv += ids[static_cast<size_t>(i)] + "," + name + "\n";
    items.push_back(part("media", name, png(i / 2, i % 2)));
  }
  items.push_back(part("creative_media", "creative_media.csv", csv));
  auto res = post_creatives(run, items);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  const json job = wait_for_job(json::parse(res->body)["job_id"]);
  ASSERT_EQ(job["state"], "succeeded") << job.dump();
  EXPECT_EQ(job["kind"], "creatives");
  EXPECT_EQ(job["run_id"], run);
  EXPECT_TRUE(no_uploads_left());

  const json c = get_json("/api/runs/" + run + "/creatives");
  EXPECT_EQ(c["creatives"], 6);
  EXPECT_TRUE(c["has_summary"].get<bool>());
  EXPECT_EQ(c["errors"], 0);
  ASSERT_GE(c["clusters"].size(), 2u);
  size_t members = 0;
  for (const auto& cluster : c["clusters"]) members += cluster["members"].size();
  EXPECT_EQ(members, 6u);
  for (const auto& asset : c["assets"]) {
    ASSERT_TRUE(asset["thumbnail"].is_string()) << asset.dump();
    auto thumb = get(asset["thumbnail"].get<std::string>());
    ASSERT_TRUE(thumb);
    EXPECT_EQ(thumb->status, 200);
    EXPECT_EQ(thumb->body.substr(0, 3), std::string("\xFF\xD8\xFF"));  // a JPEG
    EXPECT_FALSE(c["neighbors"][asset["ad_id"].get<std::string>()].empty());
  }
  // Each picture's first look-alike is its family's twin.
  EXPECT_EQ(c["neighbors"][ids[0]][0]["ad_id"], ids[1]);
  EXPECT_EQ(c["neighbors"][ids[4]][0]["ad_id"], ids[5]);
  EXPECT_NE(read_file(root_ / "runs" / run / "report.html").find("<section id=\"creatives\">"),
            std::string::npos);
}

TEST_F(CreativeRoutes, FailedAnalysisRemovesTheUploadToo) {
  const std::string run = demo_run_id();
  auto res =
      post_creatives(run, {part("creative_media", "c.csv", "ad_id,media_path\nx,missing.png\n"),
                           part("media", "other.png", "not a picture")});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  const json job = wait_for_job(json::parse(res->body)["job_id"]);
  EXPECT_EQ(job["state"], "failed");
  EXPECT_EQ(job["error"].get<std::string>().find(".upload-"), std::string::npos) << job.dump();
  EXPECT_TRUE(no_uploads_left());
  EXPECT_FALSE(fs::exists(root_ / "runs" / run / "creatives"));
  get_json("/api/runs/" + run + "/creatives", 404);
}

}  // namespace
}  // namespace elv::server
