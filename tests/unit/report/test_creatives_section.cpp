// report.html's Creatives section (report/section_creatives.cpp) and where a run's creative
// analysis is (report/creatives.h), on hand-written analyses: thumbnails embedded as data
// URIs, clusters ranked by ELV per spend with low-volume ones last (by size without a
// summary), no original path in the page, a hostile ad_id kept as text, the cap on thumbnails,
// the look-alikes without script, the count of skipped files, and no section at all (and no
// change to the page) for a run without an analysis.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <nlohmann/json.hpp>

#include "base/base64.h"
#include "base/error.h"
#include "creatives_fixture.h"
#include "report/creatives.h"
#include "report/html.h"

namespace fs = std::filesystem;
using elv::test::FixtureCreative;
using elv::test::write_creative_assets;
using elv::test::write_text;
using nlohmann::json;

namespace {

class CreativeReport : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    run_ = fs::path(::testing::TempDir()) / ("elv-creative-report-" + std::string(info->name()));
    fs::remove_all(run_);
    fs::create_directories(run_);
    write_text(run_ / "metadata.json",
               json{{"run_id", "r1"}, {"run_kind", "score"}, {"currency", "EUR"}}.dump());
    write_text(run_ / "predictions.csv", "lead_id,ad_id,p_qualified_14d,elv\nl1,a1,0.5,50\n");
  }
  void TearDown() override { fs::remove_all(run_); }

  fs::path creatives() const { return run_ / "creatives"; }

  // Three clusters: "2" earns most per spend, "0" next, "1" most of all but low volume.
  std::vector<std::string> write_ranked() {
    auto thumbs = write_creative_assets(creatives(), {{"a1", "0", "/home/me/ads/secret-one.png"},
                                                      {"a2", "1", "/home/me/ads/secret-two.png"},
                                                      {"a3", "2", "/home/me/ads/secret-three.png"},
                                                      {"a4", "2", "/home/me/ads/secret-four.png"}});
    write_text(creatives() / "creative_cluster_summary.csv",
               "cluster_id,creatives,leads,mean_p_qualified,predicted_elv,spend,elv_per_spend,"
               "labeled_leads,qualified_rate_labeled,low_volume,currency\n"
               "0,1,120,0.25,3000,1000,3,40,0.2,false,EUR\n"
               "1,1,3,0.9,900,100,9,,,true,EUR\n"
               "2,2,300,0.31,12345.5,2000,6.17275,100,0.3,false,EUR\n");
    write_text(creatives() / "creative_neighbors.csv",
               "ad_id,neighbor_ad_id,rank,similarity\n"
               "a3,a4,1,0.93\na3,a1,2,0.5\na3,a2,3,0.25\na3,a9,4,0.1\n");
    return thumbs;
  }

  std::string page() const { return elv::report::render_report(run_.string()); }

  fs::path run_;
};

size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The report is written as well-formed XML: the strict parser must accept it.
bool well_formed(const std::string& html) {
  xmlDocPtr doc = xmlReadMemory(html.data(), static_cast<int>(html.size()), "report.html", "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) return false;
  xmlFreeDoc(doc);
  return true;
}

TEST_F(CreativeReport, NoAnalysisNoSectionAndNoNavEntry) {
  const std::string html = page();
  EXPECT_EQ(html.find("id=\"creatives\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"#creatives\""), std::string::npos);
  EXPECT_EQ(html.find("data:image/jpeg"), std::string::npos);
  EXPECT_FALSE(elv::report::creative_folder(run_).has_value());
}

TEST_F(CreativeReport, ThumbnailsAreEmbeddedAsDataUris) {
  const auto thumbs = write_ranked();
  const std::string html = page();
  ASSERT_NE(html.find("<section id=\"creatives\">"), std::string::npos);
  EXPECT_NE(html.find("href=\"#creatives\""), std::string::npos);
  EXPECT_EQ(count_of(html, "src=\"data:image/jpeg;base64,"), 4u);
  for (const std::string& bytes : thumbs)
    EXPECT_NE(html.find("data:image/jpeg;base64," + elv::base64(bytes) + "\""), std::string::npos);
  EXPECT_NE(html.find("alt=\"a3\""), std::string::npos);
  // Never a path to the thumbnails or the originals.
  EXPECT_EQ(html.find("thumbnails/"), std::string::npos);
  EXPECT_EQ(html.find("secret-"), std::string::npos);
  EXPECT_EQ(html.find("/home/me"), std::string::npos);
  EXPECT_TRUE(well_formed(html));
}

TEST_F(CreativeReport, ClustersRankedByValuePerSpendLowVolumeLast) {
  write_ranked();
  const std::string html = page();
  const size_t first = html.find("#1 &#183; cluster 2"), second = html.find("#2 &#183; cluster 0"),
               third = html.find("#3 &#183; cluster 1");
  ASSERT_NE(first, std::string::npos) << html;
  ASSERT_NE(second, std::string::npos);
  ASSERT_NE(third, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_NE(html.find("cluster 1 <span class=\"badge low\">low volume</span>"), std::string::npos);
  // Figures in words, money with the run's currency.
  EXPECT_NE(html.find("2 creatives, 300 leads; predicted lead value <strong>12,345.50\xC2\xA0"
                      "EUR</strong>, <strong>6.173</strong> per unit of spend"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("; 30.0\xC2\xA0% qualified among 100 labeled leads."), std::string::npos);
}

TEST_F(CreativeReport, NeighboursAreInDetailsWithoutScript) {
  write_ranked();
  const std::string html = page();
  const size_t details = html.find("<details><summary>Nearest look-alikes");
  ASSERT_NE(details, std::string::npos);
  // The top 3 only, best first, as percentages; a look-alike shown on the page is a link.
  EXPECT_NE(html.find("<code>a3</code>: <a href=\"#creative-3\">a4</a> (93.0\xC2\xA0%), "
                      "<a href=\"#creative-0\">a1</a> (50.0\xC2\xA0%), "
                      "<a href=\"#creative-1\">a2</a> (25.0\xC2\xA0%)</li>"),
            std::string::npos)
      << html.substr(details, 600);
  EXPECT_EQ(html.find(">a9<"), std::string::npos);
  EXPECT_EQ(html.find("a9 ("), std::string::npos);
  EXPECT_NE(html.find("<li id=\"creative-3\">"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST_F(CreativeReport, HostileAdIdIsEscaped) {
  const std::string evil = "<script>alert(\"x\")</script>&";
  write_creative_assets(creatives(), {{evil, "0", "/x/evil.png"}, {"b", "0", "/x/b.png"}});
  write_text(
      creatives() / "creative_neighbors.csv",
      "ad_id,neighbor_ad_id,rank,similarity\nb,\"<script>alert(\"\"x\"\")</script>&\",1,0.8\n");
  const std::string html = page();
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("alt=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;\""),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;</a> (80.0"),
            std::string::npos);
  EXPECT_TRUE(well_formed(html));
}

TEST_F(CreativeReport, ManyCreativesShowTwelveAndSayHowManyMore) {
  std::vector<FixtureCreative> rows;
  for (int i = 0; i < 15; ++i) rows.push_back({"ad" + std::to_string(i), "0", "m.png"});
  rows.push_back({"lone", "1", "m.png"});
  write_creative_assets(creatives(), rows);
  const std::string html = page();
  EXPECT_EQ(count_of(html, "src=\"data:image/jpeg;base64,"), 13u);
  EXPECT_NE(html.find("and 3 more in creative_assets.csv"), std::string::npos);
  // No summary: ranked by size, and said so.
  EXPECT_LT(html.find("#1 &#183; cluster 0"), html.find("#2 &#183; cluster 1"));
  EXPECT_NE(html.find("clusters are listed by size"), std::string::npos);
}

TEST_F(CreativeReport, SkippedFilesAreCountedWithAPointerToTheirList) {
  write_creative_assets(creatives(), {{"a1", "0", "a.png"}});
  write_text(creatives() / "creative_errors.csv",
             "line,ad_id,media_path,reason\n3,a2,/private/b.png,file not found\n"
             "4,a3,/private/c.png,not a picture or video\n");
  const std::string html = page();
  EXPECT_NE(html.find("2 files could not be analysed"), std::string::npos) << html;
  EXPECT_NE(html.find("<a href=\"creatives/creative_errors.csv\">"), std::string::npos);
  EXPECT_EQ(html.find("/private/"), std::string::npos);
}

TEST_F(CreativeReport, MissingThumbnailIsALabelledPlaceholder) {
  write_creative_assets(creatives(), {{"a1", "0", "a.png"}, {"a2", "0", "b.png"}});
  fs::remove(creatives() / "thumbnails" / "1.jpg");
  const std::string html = page();
  EXPECT_EQ(count_of(html, "src=\"data:image/jpeg;base64,"), 1u);
  EXPECT_NE(html.find("aria-label=\"a2\">no thumbnail</div>"), std::string::npos);
}

TEST_F(CreativeReport, FolderOfAStandAloneAnalysisIsTheRunItself) {
  const fs::path alone = run_ / "alone";
  write_creative_assets(alone, {{"a1", "0", "a.png"}});
  EXPECT_FALSE(elv::report::creative_folder(alone).has_value());  // no metadata saying so
  write_text(alone / "metadata.json", json{{"run_kind", "creative-analyze"}}.dump());
  const auto found = elv::report::creative_folder(alone);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->string(), alone.string());
  write_creative_assets(creatives(), {{"a1", "0", "a.png"}});
  const auto inside = elv::report::creative_folder(run_);
  ASSERT_TRUE(inside.has_value());
  EXPECT_EQ(inside->string(), creatives().string());
}

TEST_F(CreativeReport, LoadKeepsTheTopNeighboursAndTheEncoder) {
  write_ranked();
  write_text(creatives() / "metadata.json", json{{"encoder", "builtin-v1"}}.dump());
  const auto c = elv::report::load_creatives(creatives(), run_, 2);
  ASSERT_EQ(c.assets.size(), 4u);
  EXPECT_EQ(c.encoder, "builtin-v1");
  EXPECT_EQ(c.currency, "EUR");
  ASSERT_EQ(c.neighbors.at("a3").size(), 2u);
  EXPECT_EQ(c.neighbors.at("a3")[1].ad_id, "a1");
  ASSERT_EQ(c.clusters.size(), 3u);
  EXPECT_EQ(c.clusters[0].id, "2");
  EXPECT_EQ(c.clusters[0].members, (std::vector<size_t>{2, 3}));
  EXPECT_DOUBLE_EQ(c.clusters[0].figures->predicted_elv, 12345.5);
  EXPECT_THROW(elv::report::load_creatives(run_ / "nowhere", run_, 2), elv::Error);
}

}  // namespace
