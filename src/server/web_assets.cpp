#include "server/web_assets.h"

#include <unordered_map>

// The table CMakeLists.txt generates from src/server/web/ (generated/elv_web_assets.cpp).
extern const std::size_t elv_web_asset_count;
extern const char* const elv_web_asset_names[];
extern const char* const elv_web_asset_data[];
extern const std::size_t* const elv_web_asset_sizes[];

namespace elv::server {
namespace {

const char* content_type_of(std::string_view name) {
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

const std::unordered_map<std::string_view, WebAsset>& assets() {
  static const std::unordered_map<std::string_view, WebAsset> table = [] {
    std::unordered_map<std::string_view, WebAsset> map;
    for (std::size_t i = 0; i < elv_web_asset_count; ++i) {
      const std::string_view name = elv_web_asset_names[i];
      map.emplace(
          name, WebAsset{{elv_web_asset_data[i], *elv_web_asset_sizes[i]}, content_type_of(name)});
    }
    return map;
  }();
  return table;
}

}  // namespace

const WebAsset* find_web_asset(std::string_view name) {
  const auto& table = assets();
  const auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace elv::server
