#pragma once
// The web app's files (src/server/web/), compiled into the binary by CMakeLists.txt: every
// file of that folder, by its name. `elv serve` answers /assets/<name> from here, so the app
// needs no files beside the binary and loads nothing from the internet.

#include <cstddef>
#include <string_view>

namespace elv::server {

struct WebAsset {
  std::string_view bytes;
  const char* content_type;  // from the name's extension
};

// The file called name ("main.js", "app.css", "index.html"), or nullptr when the app has none.
const WebAsset* find_web_asset(std::string_view name);

}  // namespace elv::server
