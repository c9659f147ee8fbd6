// Creatives: the clusters of look-alike creatives of a creative analysis (report/creatives.h),
// ranked by what they earn per unit of spend, each a grid of its thumbnails embedded as data
// URIs, with each shown creative's nearest look-alikes in a <details> (no script needed).
// The section exists only in runs that have a creative analysis, so every other report is
// unchanged, byte for byte; its few styles travel with it for the same reason.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>

#include "base/base64.h"
#include "base/format.h"
#include "creative/creative_files.h"
#include "report/creatives.h"
#include "report/html_parts.h"
#include "report/svg.h"

namespace fs = std::filesystem;

namespace elv::report::detail {

namespace {

// A cluster shows this many thumbnails, then says how many more it has: the page stays a
// page (a few MB at most) however many creatives were analysed.
constexpr size_t kThumbnailsPerCluster = 12;
// The pipeline writes thumbnails of a few KB; a larger file is not one of them.
constexpr std::uintmax_t kMaxThumbnailBytes = 256 * 1024;
constexpr size_t kNeighborsShown = 3;

constexpr const char* kStyle =
    "<style>\n"
    ".creative-cluster { margin: 14px 0 22px; }\n"
    ".thumbs { list-style: none; padding: 0; margin: 8px 0; display: grid; gap: 8px; "
    "grid-template-columns: repeat(auto-fill, minmax(96px, 1fr)); }\n"
    ".thumbs figure { margin: 0; }\n"
    ".thumbs img { display: block; width: 100%; aspect-ratio: 1; object-fit: cover; "
    "border: 1px solid #e5e7eb; border-radius: 4px; background: #f3f4f6; }\n"
    ".thumbs figcaption { font-size: 11px; color: #6b7280; overflow-wrap: anywhere; }\n"
    ".thumbs .no-thumb { display: flex; align-items: center; justify-content: center; "
    "aspect-ratio: 1; border: 1px dashed #9ca3af; border-radius: 4px; font-size: 11px; "
    "color: #6b7280; }\n"
    "</style>\n";

std::string money(double v, const std::string& currency) {
  return format_money(v) + (currency.empty() ? "" : kNbsp + esc(currency));
}

std::string plural(double n, const char* one, const char* many) {
  return esc(format_count(std::llround(n))) + " " + (std::llround(n) == 1 ? one : many);
}

// The cluster's figures in a sentence: what a strategist compares between clusters.
std::string figures_html(const CreativeClusterFigures& f, size_t members,
                         const std::string& currency) {
  std::string s = plural(std::isfinite(f.creatives) ? f.creatives : static_cast<double>(members),
                         "creative", "creatives");
  if (std::isfinite(f.leads)) s += ", " + plural(f.leads, "lead", "leads");
  if (std::isfinite(f.predicted_elv))
    s += "; predicted lead value <strong>" + money(f.predicted_elv, currency) + "</strong>";
  if (std::isfinite(f.elv_per_spend))
    s += ", <strong>" + svg::fixed(f.elv_per_spend, 3) + "</strong> per unit of spend";
  if (std::isfinite(f.spend)) s += " (spend " + money(f.spend, currency) + ")";
  if (std::isfinite(f.mean_p_qualified))
    s += "; mean P(qualified) " + format_percent(f.mean_p_qualified);
  if (std::isfinite(f.qualified_rate_labeled) && std::isfinite(f.labeled_leads))
    s += "; " + format_percent(f.qualified_rate_labeled) + " qualified among " +
         plural(f.labeled_leads, "labeled lead", "labeled leads");
  return s + ".";
}

std::string thumbnail_html(const Creatives& c, size_t index) {
  const CreativeAsset& a = c.assets[index];
  std::string picture;
  if (!a.thumbnail.empty()) {
    const fs::path path = c.dir / a.thumbnail;
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (!ec && size <= kMaxThumbnailBytes && !fs::is_symlink(path, ec)) {
      std::ifstream in(path, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), {});
      if (in || in.eof())
        picture = "<img src=\"data:image/jpeg;base64," + base64(bytes) + "\" alt=\"" +
                  esc(a.ad_id) + "\" loading=\"lazy\"/>";
    }
  }
  if (picture.empty())
    picture = "<div class=\"no-thumb\" role=\"img\" aria-label=\"" + esc(a.ad_id) +
              "\">no thumbnail</div>";
  return "<li id=\"creative-" + std::to_string(index) + "\"><figure>" + picture + "<figcaption>" +
         esc(a.ad_id) + "</figcaption></figure></li>";
}

// "ad_7: ad_9 (93.1 %), ad_2 (88.0 %)" per shown creative; look-alikes shown elsewhere on the
// page are links to them.
std::string neighbors_html(const Creatives& c, const std::vector<size_t>& shown,
                           const std::map<std::string, size_t>& shown_at) {
  std::string items;
  for (size_t index : shown) {
    const auto it = c.neighbors.find(c.assets[index].ad_id);
    if (it == c.neighbors.end() || it->second.empty()) continue;
    std::vector<std::string> parts;
    for (size_t i = 0; i < it->second.size() && i < kNeighborsShown; ++i) {
      const CreativeNeighbor& n = it->second[i];
      const auto at = shown_at.find(n.ad_id);
      std::string name = esc(n.ad_id);
      if (at != shown_at.end())
        name = "<a href=\"#creative-" + std::to_string(at->second) + "\">" + name + "</a>";
      parts.push_back(name + " (" + format_percent(n.similarity) + ")");
    }
    items += "<li>" + code(c.assets[index].ad_id) + ": " + join(parts, ", ") + "</li>\n";
  }
  if (items.empty()) return "";
  return "<details><summary>Nearest look-alikes of these creatives</summary>\n<ul>\n" + items +
         "</ul></details>\n";
}

std::string skipped_html(const Creatives& c, const fs::path& run_dir) {
  if (c.errors == 0) return "";
  std::string link = (c.dir.lexically_normal() == run_dir.lexically_normal())
                         ? std::string(creative::kErrorsFile)
                         : std::string(creative::kCreativesFolder) + "/" + creative::kErrorsFile;
  return problem(plural(static_cast<double>(c.errors), "file", "files") +
                 " could not be analysed (missing, unreadable or too large): each is listed, "
                 "with the reason, in <a href=\"" +
                 esc(link) + "\">" + esc(link) + "</a>.");
}

}  // namespace

bool has_creatives(const Run& r) { return creative_folder(r.dir).has_value(); }

std::string creatives_html(const Run& r) {
  const auto dir = creative_folder(r.dir);
  if (!dir) return absent("This run has no creative analysis.");
  Creatives c;
  try {
    c = load_creatives(*dir, r.dir, kNeighborsShown);
  } catch (const std::exception& e) {
    return problem("The creative analysis cannot be shown: " + esc(e.what()));
  }
  std::string intro = plural(static_cast<double>(c.assets.size()), "creative", "creatives") +
                      " analysed, grouped into " +
                      plural(static_cast<double>(c.clusters.size()), "cluster", "clusters") +
                      " of look-alikes";
  if (!c.encoder.empty()) intro += " (encoder " + code(c.encoder) + ")";
  intro += c.has_summary
               ? ". Clusters are ranked by predicted lead value per unit of spend; those marked "
                 "<span class=\"badge low\">low volume</span> have too few leads to judge and "
                 "come last."
               : ". Without a scoring run there are no lead figures: clusters are listed by "
                 "size.";
  std::string body = kStyle + para(intro) + skipped_html(c, r.dir);

  std::map<std::string, size_t> shown_at;  // ad_id → asset index, for neighbour links
  std::vector<std::vector<size_t>> shown(c.clusters.size());
  for (size_t i = 0; i < c.clusters.size(); ++i)
    for (size_t j = 0; j < c.clusters[i].members.size() && j < kThumbnailsPerCluster; ++j) {
      const size_t index = c.clusters[i].members[j];
      shown[i].push_back(index);
      shown_at.emplace(c.assets[index].ad_id, index);
    }

  for (size_t i = 0; i < c.clusters.size(); ++i) {
    const CreativeCluster& cl = c.clusters[i];
    std::string title = "#" + std::to_string(i + 1) + " &#183; cluster " + esc(cl.id);
    if (cl.figures && cl.figures->low_volume)
      title += " <span class=\"badge low\">low volume</span>";
    body += "<div class=\"creative-cluster\" id=\"creative-cluster-" + std::to_string(i + 1) +
            "\">\n<h3>" + title + "</h3>\n";
    body += para(
        cl.figures ? figures_html(*cl.figures, cl.members.size(), c.currency)
                   : plural(static_cast<double>(cl.members.size()), "creative", "creatives") + ".");
    body += "<ul class=\"thumbs\">";
    for (size_t index : shown[i]) body += thumbnail_html(c, index);
    body += "</ul>\n";
    if (cl.members.size() > shown[i].size())
      body += "<p class=\"small\">and " +
              format_count(static_cast<int64_t>(cl.members.size() - shown[i].size())) +
              " more in creative_assets.csv.</p>\n";
    body += neighbors_html(c, shown[i], shown_at) + "</div>\n";
  }
  return body;
}

}  // namespace elv::report::detail
