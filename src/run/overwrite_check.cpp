#include "run/overwrite_check.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "advisor/advisor.h"
#include "creative/creative_files.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::run {

namespace {

// The top-level names elv writes into a run folder (artifacts.cpp, model_runs.cpp,
// pipelines.cpp, report/html.cpp), for runs written before metadata.json listed its
// "artifacts". data/ is the demo's data set and inputs/ the web app's kept uploads; what
// is inside them is elv's too.
const std::set<std::string> kLegacyFiles = {"table.csv.gz",
                                            "data_profile.json",
                                            "data_profile.md",
                                            "metadata.json",
                                            "config.yaml",
                                            "metrics.json",
                                            "model.json",
                                            "predictions.csv",
                                            "drift.json",
                                            "leaderboard_campaign.csv",
                                            "leaderboard_adset.csv",
                                            "report.html"};
const std::set<std::string> kLegacyFolders = {"data", "inputs"};

std::string top_component(const std::string& relative) {
  return relative.substr(0, relative.find('/'));
}

bool legacy_artifact(const std::string& relative) {
  const std::string top = top_component(relative);
  if (kLegacyFolders.count(top)) return true;
  return top == relative && kLegacyFiles.count(top);
}

fs::path canonical_of(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
  if (ec) c = fs::absolute(p, ec).lexically_normal();
  if (c.has_relative_path() && c.filename().empty()) c = c.parent_path();  // "a/b/" -> "a/b"
  return c;
}

// p is folder or lies under it (both canonical).
bool is_within(const fs::path& p, const fs::path& folder) {
  return std::mismatch(folder.begin(), folder.end(), p.begin(), p.end()).first == folder.end();
}

// A path as the user knows it: relative to the current folder when under it.
std::string shown(const fs::path& p, const fs::path& cwd) {
  if (is_within(p, cwd) && p != cwd) return p.lexically_relative(cwd).generic_string();
  return p.string();
}

// The entries elv did not write. A run that recorded its artifacts is judged by that list
// (plus report.html, which `elv report` adds later, and the advisor's answer, which
// `elv advise --save` and the web app add later); an older one by the fixed names.
std::vector<std::string> strangers(const OutDirFacts& f, bool elv_run) {
  std::set<std::string> recorded;
  const bool has_list =
      elv_run && f.metadata->contains("artifacts") && (*f.metadata)["artifacts"].is_array();
  if (has_list) {
    for (const auto& a : (*f.metadata)["artifacts"])
      if (a.is_string()) recorded.insert(a.get<std::string>());
    recorded.insert("report.html");
    recorded.insert(advisor::kAdviceMarkdown);
    recorded.insert(advisor::kAdviceRecord);
    recorded.insert(f.nested_artifacts.begin(), f.nested_artifacts.end());
  }
  std::vector<std::string> out;
  for (const auto& e : f.entries)
    if (has_list ? !recorded.count(e) : !legacy_artifact(e)) out.push_back(e);
  return out;
}

}  // namespace

std::vector<KeptPath> kept_paths_of(const Config& config) {
  std::vector<KeptPath> kept;
  for (const auto& [key, path] : path_fields(config.paths))
    if (!path->empty()) kept.push_back({"the input paths." + std::string(key), *path});
  if (!config.source_path.empty()) kept.push_back({"the config file", config.source_path});
  return kept;
}

bool is_elv_metadata(const std::optional<json>& metadata) {
  return metadata && metadata->is_object() && metadata->contains("run_id") &&
         metadata->contains("elv_version");
}

std::optional<json> read_metadata(const fs::path& dir) {
  std::ifstream in(dir / "metadata.json", std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  json parsed = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

std::vector<std::string> folder_entries(const fs::path& dir, bool recursive) {
  std::vector<std::string> out;
  std::error_code ec;
  if (recursive) {
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      out.push_back(it->path().lexically_relative(dir).generic_string());
  } else {
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      out.push_back(it->path().filename().string());
  }
  if (ec) throw fs::filesystem_error("cannot list the folder", dir, ec);
  std::sort(out.begin(), out.end());
  return out;
}

OutDirFacts inspect_out_dir(const std::string& out_dir, const std::vector<KeptPath>& kept) {
  OutDirFacts f;
  f.folder = canonical_of(out_dir);
  f.cwd = canonical_of(fs::current_path());
  for (const auto& k : kept) f.kept.push_back({k.what, canonical_of(k.path).string()});
  f.metadata = read_metadata(f.folder);
  // A creative analysis written into this run by `creative-analyze --run-dir`.
  const fs::path nested = f.folder / creative::kCreativesFolder;
  if (const auto meta = read_metadata(nested);
      is_elv_metadata(meta) && meta->contains("artifacts") && (*meta)["artifacts"].is_array()) {
    f.nested_artifacts.push_back(creative::kCreativesFolder);
    for (const auto& a : (*meta)["artifacts"])
      if (a.is_string())
        f.nested_artifacts.push_back(std::string(creative::kCreativesFolder) + "/" +
                                     a.get<std::string>());
  }
  try {
    f.entries = folder_entries(f.folder, is_elv_metadata(f.metadata));
  } catch (const fs::filesystem_error&) {
    f.unreadable = true;
  }
  return f;
}

std::string location_refusal(const OutDirFacts& f) {
  if (f.folder == f.folder.root_path()) return "it is the root folder";
  if (f.folder == f.cwd) return "it is the current folder";
  if (is_within(f.cwd, f.folder)) return "it holds the current folder (" + f.cwd.string() + ")";
  return {};
}

std::string overwrite_refusal(const OutDirFacts& f) {
  if (std::string why = location_refusal(f); !why.empty()) return why;
  for (const auto& k : f.kept)
    if (is_within(k.path, f.folder))
      return "it holds " + k.what + " (" + shown(k.path, f.cwd) + ")";
  if (f.unreadable) return "its contents cannot be listed, so elv cannot tell what it would delete";
  if (f.entries.empty()) return {};  // an empty folder has nothing to lose
  const bool elv_run = is_elv_metadata(f.metadata);
  const std::vector<std::string> others = strangers(f, elv_run);
  if (!elv_run) {
    if (others.empty())
      return "this folder is not an elv run (it has no metadata.json written by elv)";
    return "this folder is not an elv run (it holds " + others.front() +
           ", which elv did not write)";
  }
  if (others.empty()) return {};
  std::string why = "this run folder holds " + others.front() + ", which elv did not write";
  if (others.size() > 1) why += " (and " + std::to_string(others.size() - 1) + " more)";
  return why;
}

}  // namespace elv::run
