#include "creative/codecs.h"

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <utility>

#include "base/error.h"
#include "creative/codecs_api.h"

namespace elv::creative::codecs {

namespace {

namespace fs = std::filesystem;

constexpr const char* kModuleName = "libelv_codecs.so";

// Loaded once per process and never unloaded: OpenCV's libraries keep threads and state.
const Api& api() {
  static const Api* loaded = nullptr;
  static std::string failure;
  static std::once_flag once;
  std::call_once(once, [] {
    std::string tried;
    for (const auto& path : module_candidates()) {
      tried += (tried.empty() ? "" : ", ") + path;
      std::error_code ec;
      if (!fs::exists(path, ec)) continue;
      void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) {
        failure = "cannot load " + path + ": " + ::dlerror();
        return;
      }
      auto entry = reinterpret_cast<ApiFunction>(::dlsym(handle, kApiSymbol));
      const Api* table = entry ? entry() : nullptr;
      if (!table || table->version != Api::kVersion) {
        failure = path +
                  " is from another build of elv (rebuild it with elv: its target is "
                  "elv_codecs)";
        return;
      }
      loaded = table;
      return;
    }
    failure = std::string("pictures and videos are decoded by ") + kModuleName +
              ", which is not installed beside this elv (looked at " + tried +
              "): build it with elv (target elv_codecs) or copy it there";
  });
  if (!loaded) throw Error(failure);
  return *loaded;
}

}  // namespace

std::vector<std::string> module_candidates() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path dir = ec ? fs::current_path(ec) : exe.parent_path();
  return {(dir / kModuleName).string(),
          (dir.parent_path() / "lib" / "elv" / kModuleName).lexically_normal().string()};
}

cv::Mat decode_image(const cv::Mat& bytes, int flags) { return api().decode_image(bytes, flags); }

bool encode_image(const std::string& extension, const cv::Mat& image, std::vector<uchar>& out,
                  const std::vector<int>& params) {
  return api().encode_image(extension.c_str(), image, out, params);
}

Video::Video(const std::string& path) : handle_(api().open_video(path.c_str())) {}

Video::~Video() {
  if (handle_) api().close_video(handle_);
}

Video::Video(Video&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}

bool Video::grab() { return handle_ && api().grab(handle_); }
bool Video::read(cv::Mat& frame) { return handle_ && api().read(handle_, frame); }
double Video::get(int property) { return handle_ ? api().get(handle_, property) : 0.0; }

}  // namespace elv::creative::codecs
