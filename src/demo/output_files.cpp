// Writing the data set: the output files (temporaries renamed into place together) and
// demo_data.json, the record that lets --overwrite replace only demo-data's own files.
#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "demo/generator_parts.h"

namespace fs = std::filesystem;

namespace elv::demo::detail {

// ---------------------------------------------------------------------------------------
// Output files

OutputFiles::~OutputFiles() {
  for (auto& f : files_) {
    f.handle.reset();
    if (!committed_) {
      std::error_code ec;
      fs::remove(f.tmp, ec);
    }
  }
}

size_t OutputFiles::open(const std::string& name) {
  size_t index = reserve(name);
  auto& f = files_[index];
  f.handle.reset(std::fopen(f.tmp.c_str(), "wb"));
  if (!f.handle) throw Error("cannot open for writing", f.tmp.string());
  return index;
}

size_t OutputFiles::reserve(const std::string& name) {
  File f;
  f.final_path = dir_ / name;
  f.tmp = dir_ / (name + ".tmp");
  files_.push_back(std::move(f));
  return files_.size() - 1;
}

void OutputFiles::write(size_t index, std::string_view bytes) {
  auto& f = files_[index];
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), f.handle.get()) != bytes.size())
    throw Error("write failed (disk full?)", f.tmp.string());
}

std::vector<std::string> OutputFiles::commit() {
  for (auto& f : files_) {
    if (!io::close_checked(f.handle))
      throw Error("closing file failed (disk full?)", f.tmp.string());
  }
  std::vector<std::string> paths;
  for (auto& f : files_) {
    std::error_code ec;
    fs::rename(f.tmp, f.final_path, ec);
    if (ec) throw Error("cannot rename into place: " + ec.message(), f.final_path.string());
    paths.push_back(f.final_path.string());
  }
  committed_ = true;
  return paths;
}

// ---------------------------------------------------------------------------------------
// demo_data.json

namespace {

// demo-data's record of the files it wrote into a folder (see generator_parts.h).
constexpr const char* kManifest = "demo_data.json";

}  // namespace

// The file names an earlier demo-data recorded in dir (the manifest itself included), or
// nullopt when dir holds no manifest of demo-data's. Only names demo-data can write count,
// so an edited manifest cannot make it touch anything else.
std::optional<std::set<std::string>> recorded_files(const fs::path& dir) {
  std::ifstream in(dir / kManifest, std::ios::binary);
  if (!in) return std::nullopt;
  const nlohmann::json m = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!m.is_object() || m.value("written_by", "") != "elv demo-data" || !m.contains("files") ||
      !m["files"].is_array())
    return std::nullopt;
  DemoDataSpec everything;
  everything.enrichments = everything.truth = everything.lead_form = true;
  const std::vector<std::string> ours = demo_data_file_names(everything);
  std::set<std::string> names = {kManifest};
  for (const auto& f : m["files"])
    if (f.is_string() && std::find(ours.begin(), ours.end(), f.get<std::string>()) != ours.end())
      names.insert(f.get<std::string>());
  return names;
}

void write_manifest(const fs::path& dir, const std::vector<std::string>& names) {
  const nlohmann::json m = {{"written_by", "elv demo-data"}, {"files", names}};
  const fs::path tmp = dir / (std::string(kManifest) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary);
    out << m.dump(2) << "\n";
    if (!out.flush()) throw Error("write failed (disk full?)", tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, dir / kManifest, ec);
  if (ec) throw Error("cannot rename into place: " + ec.message(), (dir / kManifest).string());
}

void prepare_out_dir(const fs::path& dir, const std::vector<std::string>& names, bool overwrite) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw Error("output path exists and is not a folder", dir.string());
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create output folder: " + ec.message(), dir.string());
  const std::set<std::string> replaceable =
      overwrite ? recorded_files(dir).value_or(std::set<std::string>{}) : std::set<std::string>{};
  std::vector<std::string> to_write = names;
  to_write.push_back(kManifest);
  for (const auto& name : to_write) {
    if (!fs::exists(dir / name, ec) || replaceable.count(name)) continue;
    if (!overwrite)
      throw Error("already exists; pass --overwrite to replace it", (dir / name).string());
    throw Error(std::string("--overwrite refused: elv demo-data did not write this file (") +
                    kManifest + " does not list it); move it away or choose an empty or new --out",
                (dir / name).string());
  }
}

// After an --overwrite run, files of the earlier data set that this run did not write
// (say ads_geo.csv when run with --no-enrichments) would no longer match ads.csv: remove
// them so the folder holds one consistent data set. Only files the earlier run recorded.
void remove_stale_outputs(const fs::path& dir, const std::set<std::string>& earlier,
                          const std::vector<std::string>& written) {
  for (const auto& name : earlier) {
    if (name == kManifest || std::find(written.begin(), written.end(), name) != written.end())
      continue;
    std::error_code ec;
    fs::remove(dir / name, ec);
    if (ec)
      throw Error("cannot remove a file of the earlier data set: " + ec.message(),
                  (dir / name).string());
  }
}

}  // namespace elv::demo::detail
