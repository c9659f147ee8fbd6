#include "server/safe_paths.h"

#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace elv::server {

bool is_safe_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(name[0])) return false;
  for (char c : name)
    if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
  return name.find("..") == std::string_view::npos;
}

std::optional<std::string> run_folder(const std::string& runs_dir, std::string_view id) {
  if (!is_safe_name(id)) return std::nullopt;
  const fs::path dir = fs::path(runs_dir) / std::string(id);
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(dir, ec);
  if (ec || !fs::is_directory(status)) return std::nullopt;
  return dir.string();
}

std::optional<std::string> artifact_file(const std::string& run_dir, std::string_view name) {
  const size_t slash = name.find('/');
  std::string_view first = name.substr(0, slash);
  std::string_view second =
      slash == std::string_view::npos ? std::string_view() : name.substr(slash + 1);
  if (!is_safe_name(first)) return std::nullopt;
  if (slash != std::string_view::npos && !is_safe_name(second)) return std::nullopt;
  fs::path path = fs::path(run_dir) / std::string(first);
  std::error_code ec;
  if (!second.empty()) {
    if (!fs::is_directory(fs::symlink_status(path, ec))) return std::nullopt;
    path /= std::string(second);
  }
  if (!fs::is_regular_file(fs::symlink_status(path, ec)) || ec) return std::nullopt;
  return path.string();
}

}  // namespace elv::server
